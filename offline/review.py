"""The plan's review: every resource judged against the security baseline, with the stack's waivers."""

from dataclasses import dataclass

from baseline.evaluate import Finding, Waiver, evaluate, unused

from .describe import azure_name
from .engine import ProgramRun
from .recorder import plain


@dataclass
class Review:
    """The baseline's findings and the hazards of a plan."""

    findings: list[Finding]
    unused_waivers: list[Waiver]
    hazards: list[str]

    @property
    def open(self) -> list[Finding]:
        return [f for f in self.findings if f.waived is None]


def review(run: ProgramRun, waivers: list[Waiver]) -> Review:
    """Judge every resource the run would create against the baseline."""
    findings = evaluate(
        ((r.type, r.name, azure_name(r), plain(r.inputs)) for r in sorted(run.resources, key=lambda r: r.urn)
         if r.custom),
        waivers,
    )
    return Review(findings, unused(waivers, findings), [w for w in run.warnings if w.startswith("hazard:")])

