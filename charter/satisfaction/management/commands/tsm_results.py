"""The year's perception results: python manage.py tsm_results --year 2025 --format json"""

import json

from django.core.management.base import BaseCommand

from charter.satisfaction import measures, selectors


class Command(BaseCommand):
    help = (
        "Print a financial year's Tenant Satisfaction Measures from the perception survey (TP01 to TP12) "
        "for LCRA and LCHO, with the margin of error of TP01 at 95% confidence."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="The financial year: 2025 means 2025/26"
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        results = selectors.perception_results(options["year"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(selectors.results_as_json(results), indent=2))
            return
        self.stdout.write(self._table(results))

    def _table(self, results) -> str:
        lines = [f"Tenant Satisfaction Measures {results['year']}: perception survey", ""]
        for tenure in measures.TENURES:
            block = results[tenure]
            margin = block["margin_of_error"]
            lines.append(
                f"{measures.TENURE_LABELS[tenure]}: {block['responses']} responses from {margin['homes']} homes"
            )
            if block["below_threshold"]:
                lines.append(
                    f"  Fewer than {measures.SURVEY_THRESHOLD_HOMES:,} homes: the regulator does not require this "
                    "tenure to be surveyed; the figures are shown for information."
                )
            lines.append(f"  {'Code':<6}{'Satisfied':>10}  {'Valid':>6}  Measure")
            for question in measures.QUESTIONS:
                if question.code not in block:
                    continue
                figures = block[question.code]
                shown = "-" if figures["percent"] is None else f"{figures['percent']}%"
                lines.append(
                    f"  {question.code:<6}{shown:>10}  {figures['valid']:>6}  {question.name}"
                )
            if margin["TP01"] is None:
                lines.append("  Margin of error: not available (no valid answers to TP01)")
            else:
                lines.append(
                    f"  Margin of error (TP01, 95% confidence): +/-{margin['TP01']} points at the observed share, "
                    f"+/-{margin['planning']} at 50% (from {margin['responses']} of {margin['homes']} homes)"
                )
            lines.append("")
        return "\n".join(lines)
