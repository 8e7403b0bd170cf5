"""From analysis and the user's words to a music spec, a ducking plan and a sentence that explains them."""
