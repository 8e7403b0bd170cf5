"""What changed between two drafts, in plain words: the reply when the cloud edits without saying anything."""

from __future__ import annotations

from free_music_ai.project.nemo_draft import Draft, summary_items


def describe_changes(before: Draft, after: Draft) -> str:
    """'Added BGM: Lo-fi (0-10s, 35%). Removed Title: "Hi" (0-3s).', or that nothing changed."""
    old, new = summary_items(before), summary_items(after)
    added = [item for item in new if item not in old]
    removed = [item for item in old if item not in new]
    said: list[str] = []
    for item in added:
        label, _, what = item.partition(": ")
        was = next((r for r in removed if r.partition(": ")[0] == label and label != "Title"), None)
        if was is not None:  # the same track, edited: its volume, its music, its length
            removed.remove(was)
            said.append(f"Changed the {label}: {was.partition(': ')[2]} -> {what}.")
        else:
            said.append(f"Added {item}.")
    said += [f"Removed {item}." for item in removed]
    if not said and before.model_dump() != after.model_dump():
        said.append("Changed details of the timeline that its summary does not show.")
    return " ".join(said) or "Nothing in the timeline changed."
