"""Reads of rubrics and how mentors use them (score distributions)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, F, FloatField, Min, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Abs, Cast

from internships.models import Cohort, Mentor
from sztu_xiaomi.models import pick_language

from ..defaults import DEFAULT_CRITERIA
from ..models import LEVELS, Criterion, Evaluation, Rubric, Score

__all__ = [
    "CRITERION_TEXT_FIELDS",
    "LENIENCY_MARGIN",
    "MENTORS_PER_PAGE",
    "Distribution",
    "RubricPage",
    "criterion_fields",
    "mentor_score_spread",
    "rubric_page",
]

# Every text of a criterion, in the order the form shows them: its name, then level 1 … 5.
CRITERION_TEXT_FIELDS = (
    "name_zh",
    "name_en",
    *(f"level_{level}_{language}" for level in LEVELS for language in ("zh", "en")),
)


def criterion_fields(item: dict) -> dict:
    """The Criterion field values of an entry of `defaults.DEFAULT_CRITERIA`."""
    fields = {"name_zh": item["name_zh"], "name_en": item["name_en"]}
    for level in LEVELS:
        fields[f"level_{level}_zh"] = item["levels_zh"][level - 1]
        fields[f"level_{level}_en"] = item["levels_en"][level - 1]
    return fields


# --- The rubric page -----------------------------------------------------------------------------


@dataclass
class RubricPage:
    """What the rubric page shows: the current criteria (saved, or the unsaved defaults before the
    first save), whether the current version is used, and the earlier versions."""

    current: Rubric | None  # None until the cohort's rubric is first used or saved
    criteria: list[Criterion]
    used_by: int  # evaluations on the current version
    earlier: list[Rubric] = field(default_factory=list)  # their criteria prefetched

    @property
    def version(self) -> int:
        return self.current.version if self.current else 1

    @property
    def next_version(self) -> int:
        return self.version + 1


def rubric_page(*, cohort: Cohort) -> RubricPage:
    """The cohort's rubric versions, the latest first, in three queries; writes nothing (the
    defaults are shown unsaved until the rubric is first saved or used)."""
    versions = list(
        Rubric.objects.filter(cohort=cohort)
        .annotate(used_by=Count("evaluations"))
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("position")))
        .order_by("-version")
    )
    if not versions:
        defaults = [
            Criterion(position=position, **criterion_fields(item))
            for position, item in enumerate(DEFAULT_CRITERIA, start=1)
        ]
        return RubricPage(current=None, criteria=defaults, used_by=0)
    current, *earlier = versions
    return RubricPage(
        current=current, criteria=list(current.criteria.all()), used_by=current.used_by, earlier=earlier
    )


# --- Each mentor's scores against the cohort's -------------------------------------------------------

# A mentor whose mean score is this far above (or below) the cohort's is flagged lenient (or harsh).
LENIENCY_MARGIN = Decimal("0.75")
MENTORS_PER_PAGE = 25


def _level_counts() -> dict:
    return {f"n{level}": Count("pk", filter=Q(score=level)) for level in LEVELS}


def _two_places(mean) -> Decimal | None:
    return None if mean is None else Decimal(str(mean)).quantize(Decimal("0.01"))


@dataclass
class Distribution:
    """How many scores of each level, and their mean (None without scores)."""

    counts: dict[int, int]  # level → number of scores
    mean: Decimal | None
    evaluations: int = 0

    @classmethod
    def from_row(cls, row: dict) -> "Distribution":
        return cls(
            counts={level: row[f"n{level}"] for level in LEVELS},
            mean=_two_places(row["mean"]),
            evaluations=row["evaluations"],
        )

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def levels(self) -> list[tuple[int, int, int]]:
        """(level, number of scores, whole per cent of all scores) for 1 … 5."""
        total = self.total
        return [(level, n, round(100 * n / total) if total else 0) for level, n in self.counts.items()]


@dataclass
class MentorSpread:
    mentor: Mentor
    scores: Distribution
    cohort: Distribution
    difference: Decimal  # the mentor's mean minus the cohort's
    # (criterion's name, the mentor's mean or None, the cohort's mean), in the rubric's order
    by_criterion: list[tuple[str, Decimal | None, Decimal]] = field(default_factory=list)

    def levels(self) -> list[tuple[int, tuple[int, int], tuple[int, int]]]:
        """(level, (the mentor's count, per cent), (the cohort's count, per cent)) for 1 … 5."""
        return [
            (level, (n, percent), (cohort_n, cohort_percent))
            for (level, n, percent), (_level, cohort_n, cohort_percent) in zip(
                self.scores.levels(), self.cohort.levels(), strict=True
            )
        ]

    @property
    def lenient(self) -> bool:
        return self.difference > LENIENCY_MARGIN

    @property
    def harsh(self) -> bool:
        return self.difference < -LENIENCY_MARGIN


@dataclass
class ScoreSpread:
    cohort: Distribution
    page: Page  # of MentorSpread, the mentors furthest from the cohort's mean first
    margin: Decimal = LENIENCY_MARGIN


def _submitted_scores(*, cohort: Cohort, viewer) -> QuerySet[Score]:
    """The scores of the submitted evaluations in the cohort that the viewer may read (Xiaomi's
    roles: of students who consented to share with Xiaomi)."""
    evaluations = Evaluation.objects.visible_to(viewer).submitted().filter(placement__cohort=cohort)
    return Score.objects.filter(evaluation__in=evaluations.values("pk"))


# A criterion is known by its names: versions of a rubric may keep, move or rename it.
CRITERION = ("criterion__name_zh", "criterion__name_en")


def mentor_score_spread(*, cohort: Cohort, viewer, page_number=None) -> ScoreSpread:
    """The cohort's score distribution, and a page of its mentors' distributions, with the mean
    per criterion of both: four GROUP BY queries (the cohort's and the page's mentors', overall
    and per criterion), the paginator's count, and the page's mentors."""
    scores = _submitted_scores(cohort=cohort, viewer=viewer)
    totals = {"mean": Avg("score"), "evaluations": Count("evaluation", distinct=True), **_level_counts()}
    whole = Distribution.from_row(scores.aggregate(**totals))
    cohort_mean = float(whole.mean or 0)
    mentor = "evaluation__placement__mentor"
    rows = (
        scores.values(mentor)
        .annotate(**totals)
        .annotate(distance=Abs(Cast(F("mean"), FloatField()) - Value(cohort_mean)))
        .order_by("-distance", f"{mentor}__user__full_name", mentor)
    )
    page = Paginator(rows, MENTORS_PER_PAGE).get_page(page_number)
    ids = [row[mentor] for row in page]
    mentors = Mentor.objects.select_related("user", "store").in_bulk(ids)
    criteria = {
        tuple(row[name] for name in CRITERION): _two_places(row["mean"])
        for row in scores.values(*CRITERION)
        .annotate(mean=Avg("score"), first=Min("criterion__position"))
        .order_by("first", *CRITERION)
    }
    mentors_criteria = {
        (row[mentor], *(row[name] for name in CRITERION)): _two_places(row["mean"])
        for row in scores.filter(**{f"{mentor}__in": ids})
        .values(mentor, *CRITERION)
        .annotate(mean=Avg("score"))
    }
    spreads = []
    for row in page:
        distribution = Distribution.from_row(row)
        spreads.append(
            MentorSpread(
                mentor=mentors[row[mentor]],
                scores=distribution,
                cohort=whole,
                difference=distribution.mean - (whole.mean or 0),
                by_criterion=[
                    (pick_language(*names), mentors_criteria.get((row[mentor], *names)), mean)
                    for names, mean in criteria.items()
                ],
            )
        )
    page.object_list = spreads
    return ScoreSpread(cohort=whole, page=page)
