"""ZRM scores (DOMAIN.md section 3): dated, immutable, side by side per assessor, with visible disagreement."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import selectors, services
from cases.constants import LifeDomain
from cases.models import LifeDomainAssessment
from cases.services import ScoreInput

pytestmark = pytest.mark.django_db

FIN = LifeDomain.FINANCIEN
HOUSING = LifeDomain.HUISVESTING
MARCH = datetime.date(2025, 3, 1)
APRIL = datetime.date(2025, 4, 1)
MAY = datetime.date(2025, 5, 1)


def _score(actor, case, on, **scores):
    return services.assessments_record(
        actor=actor, case=case, assessed_on=on, scores=[ScoreInput(domain, score) for domain, score in scores.items()]
    )


def _row(case, domain):
    return next(row for row in selectors.zrm_overview(case).rows if row.domain == domain)


def test_latest_score_per_assessor_side_by_side(wijkcoach, colleague, resident_case):
    _score(wijkcoach, resident_case, MARCH, financien=2)
    _score(wijkcoach, resident_case, APRIL, financien=3)
    _score(colleague, resident_case, MAY, financien=4)

    overview = selectors.zrm_overview(resident_case)
    row = _row(resident_case, FIN)

    assert {assessor.pk for assessor in overview.assessors} == {wijkcoach.pk, colleague.pk}
    assert {assessor: a.score for assessor, a in row.latest.items()} == {wijkcoach.pk: 3, colleague.pk: 4}
    assert row.current_score == 4
    assert overview.has_scores


def test_difference_of_two_is_flagged(wijkcoach, colleague, resident_case):
    _score(wijkcoach, resident_case, MARCH, financien=2)
    _score(colleague, resident_case, APRIL, financien=4)
    assert _row(resident_case, FIN).disagreement


def test_difference_of_one_is_not_flagged(wijkcoach, colleague, resident_case):
    _score(wijkcoach, resident_case, MARCH, financien=2)
    _score(colleague, resident_case, APRIL, financien=3)
    assert not _row(resident_case, FIN).disagreement


def test_only_an_old_difference_is_not_flagged(wijkcoach, colleague, resident_case):
    _score(wijkcoach, resident_case, MARCH, financien=1)
    _score(colleague, resident_case, MARCH, financien=4)
    assert _row(resident_case, FIN).disagreement  # at first they disagree ...

    _score(wijkcoach, resident_case, MAY, financien=4)

    row = _row(resident_case, FIN)
    assert not row.disagreement  # ... but their latest scores agree
    assert [a.score for a in row.history] == [1, 4, 4]


def test_one_assessor_changing_their_own_score_is_not_disagreement(wijkcoach, resident_case):
    _score(wijkcoach, resident_case, MARCH, financien=1)
    _score(wijkcoach, resident_case, MAY, financien=5)
    assert not _row(resident_case, FIN).disagreement


def test_disagreement_is_per_domain(wijkcoach, colleague, resident_case):
    _score(wijkcoach, resident_case, MARCH, financien=1, huisvesting=3)
    _score(colleague, resident_case, APRIL, financien=5, huisvesting=3)
    assert _row(resident_case, FIN).disagreement
    assert not _row(resident_case, HOUSING).disagreement


def test_history_per_domain_is_in_date_order(wijkcoach, colleague, resident_case):
    # Recorded out of order: the later measurement is entered first.
    _score(wijkcoach, resident_case, MAY, financien=4, huisvesting=2)
    _score(colleague, resident_case, MARCH, financien=2)
    _score(wijkcoach, resident_case, APRIL, financien=3)

    fin = _row(resident_case, FIN)
    assert [(a.assessed_on, a.score) for a in fin.history] == [(MARCH, 2), (APRIL, 3), (MAY, 4)]
    assert fin.current_score == 4
    assert fin.latest[colleague.pk].assessed_on == MARCH
    assert fin.latest[wijkcoach.pk].assessed_on == MAY
    assert [(a.assessed_on, a.score) for a in _row(resident_case, HOUSING).history] == [(MAY, 2)]
    assert selectors.latest_scores(resident_case) == {FIN: 4, HOUSING: 2}


def test_rows_follow_the_matrix_order_and_skip_unscored_domains(wijkcoach, resident_case):
    _score(wijkcoach, resident_case, MARCH, justitie=3, financien=2)
    assert [row.domain for row in selectors.zrm_overview(resident_case).rows] == [FIN, LifeDomain.JUSTITIE]


def test_no_scores_yet(resident_case):
    overview = selectors.zrm_overview(resident_case)
    assert overview.rows == []
    assert not overview.has_scores


def test_recording_stores_assessor_and_date(wijkcoach, resident_case):
    created = services.assessments_record(
        actor=wijkcoach,
        case=resident_case,
        assessed_on=MARCH,
        scores=[ScoreInput(FIN, 2, target_score=4, rationale="Betalingsachterstand huur.")],
    )
    stored = LifeDomainAssessment.objects.get(pk=created[0].pk)
    assert (stored.assessor, stored.assessed_on, stored.score, stored.target_score) == (wijkcoach, MARCH, 2, 4)


def test_duplicate_domains_are_refused(wijkcoach, resident_case):
    with pytest.raises(ValidationError, match="maar één keer"):
        services.assessments_record(
            actor=wijkcoach, case=resident_case, scores=[ScoreInput(FIN, 2), ScoreInput(FIN, 4)], assessed_on=MARCH
        )
    assert not LifeDomainAssessment.objects.exists()


def test_empty_list_is_refused(wijkcoach, resident_case):
    with pytest.raises(ValidationError, match="ten minste één leefgebied"):
        services.assessments_record(actor=wijkcoach, case=resident_case, scores=[], assessed_on=MARCH)
    assert not LifeDomainAssessment.objects.exists()


@pytest.mark.parametrize("score", [0, 6, -1])
def test_score_outside_1_to_5_is_refused(wijkcoach, resident_case, score):
    with pytest.raises(ValidationError) as exc:
        services.assessments_record(
            actor=wijkcoach,
            case=resident_case,
            scores=[ScoreInput(HOUSING, 3), ScoreInput(FIN, score)],
            assessed_on=MARCH,
        )
    assert "score" in exc.value.message_dict
    # Nothing is stored, also not the valid score recorded in the same call.
    assert not LifeDomainAssessment.objects.exists()


@pytest.mark.parametrize("target", [0, 6])
def test_target_outside_1_to_5_is_refused(wijkcoach, resident_case, target):
    with pytest.raises(ValidationError) as exc:
        services.assessments_record(
            actor=wijkcoach, case=resident_case, scores=[ScoreInput(FIN, 3, target_score=target)], assessed_on=MARCH
        )
    assert "target_score" in exc.value.message_dict
    assert not LifeDomainAssessment.objects.exists()


def test_unknown_domain_is_refused(wijkcoach, resident_case):
    with pytest.raises(ValidationError) as exc:
        services.assessments_record(
            actor=wijkcoach, case=resident_case, scores=[ScoreInput("dagbesteding", 3)], assessed_on=MARCH
        )
    assert "domain" in exc.value.message_dict


def test_assessment_in_the_future_is_refused(wijkcoach, resident_case):
    with pytest.raises(ValidationError) as exc:
        services.assessments_record(
            actor=wijkcoach,
            case=resident_case,
            scores=[ScoreInput(FIN, 3)],
            assessed_on=timezone.localdate() + datetime.timedelta(days=2),
        )
    assert "assessed_on" in exc.value.message_dict
