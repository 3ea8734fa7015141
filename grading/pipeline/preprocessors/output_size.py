"""Outputs too large to keep in autograded notebooks and feedback are cut, with a note."""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer


class CapOutputSize(NbGraderPreprocessor):
    """Cut outputs that would bloat autograded notebooks and feedback, and say so.

    nbgrader's ``LimitOutput`` caps the number of lines; this caps characters per text output
    and bytes per rich output (images, HTML).
    """

    max_chars = Integer(20_000, help="Characters kept of each text output.").tag(config=True)
    max_bytes = Integer(1_000_000, help="Bytes kept of each rich output (image, HTML).").tag(
        config=True
    )

    def cut(self, text: str) -> str:
        """``text`` shortened to ``max_chars`` with a note saying how much was cut."""
        if len(text) <= self.max_chars:
            return text
        return (
            text[: self.max_chars]
            + f"\n[output cut: {len(text) - self.max_chars:,} more characters]\n"
        )

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        for output in cell.get("outputs", []):
            if "text" in output:
                output.text = self.cut("".join(output.text))
            if "traceback" in output:
                output.traceback = [self.cut(line) for line in output.traceback]
            data = output.get("data", {})
            for mime in list(data):
                value = data[mime] if isinstance(data[mime], str) else "".join(map(str, data[mime]))
                if mime == "text/plain":
                    data[mime] = self.cut(value)
                elif len(value) > self.max_bytes:
                    del data[mime]
                    data["text/plain"] = (
                        f"[{mime} output of {len(value):,} bytes removed: too large]"
                    )
        return cell, resources
