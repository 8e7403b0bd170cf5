"""The only code that reads human text (English and Chinese): messages into typed edits and wishes."""
