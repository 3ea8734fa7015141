"""The points and report text of one graded cell, from its hidden tests' findings."""

from __future__ import annotations

from grading.protocol.messages import ReportEntry

PASS, FAIL, SKIP = "\u2714", "\u2718", "-"


def tampered_names(entries: list[ReportEntry]) -> list[str]:
    """The library names the worker restored during these tests, each once, in report order."""
    return list(dict.fromkeys(name for entry in entries for name in entry.get("tampered", [])))


def verdict(entries: list[ReportEntry], points: float) -> tuple[float, str]:
    """Points earned and the report text for one graded cell's hidden tests.

    Every test that ran counts equally; skipped tests (no GPU, say) do not count. Library
    functions the student's code replaced (and the worker put back) are named at the end.
    """
    counted = [e for e in entries if e["outcome"] != "skipped"]
    passed = sum(e["outcome"] == "passed" for e in counted)
    earned = round(points * passed / len(counted), 2) if counted else 0.0
    lines = [f"Hidden tests: {passed} of {len(counted)} passed, {earned:g} of {points:g} points."]
    for entry in entries:
        mark = {"passed": PASS, "failed": FAIL}.get(entry["outcome"], SKIP)
        lines.append(f"  {mark} {entry['description']}")
        if entry["outcome"] != "passed":
            lines.append(f"      {entry['message']}")
    tampered = tampered_names(entries)
    if tampered:
        shown = ", ".join(tampered[:5]) + (
            f" and {len(tampered) - 5} more" if len(tampered) > 5 else ""
        )
        lines.append(
            f"Note: your code replaced {shown}; the hidden tests put the originals back and "
            "checked your work with them."
        )
    return earned, "\n".join(lines) + "\n"
