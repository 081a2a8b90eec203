"""``talentgate manage domain_diagram [--write docs/domain.md]``: the Mermaid entity diagram of the domain models."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from talentgate.common.diagram import embed_in, mermaid_diagram


class Command(BaseCommand):
    help = "Print the domain models as a Mermaid erDiagram, or rewrite the diagram block of a Markdown file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", metavar="FILE", help="Rewrite the diagram block of this Markdown file.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["write"]:
            path = Path(options["write"])
            path.write_text(embed_in(path.read_text(encoding="utf-8")), encoding="utf-8")
            self.stdout.write(f"updated {path}")
        else:
            self.stdout.write(mermaid_diagram())
