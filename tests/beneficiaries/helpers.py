"""Accompaniments for the beneficiary pages' tests, recorded through the activities' services."""

import datetime as dt
from collections.abc import Sequence

from maillon.accounts.models import User
from maillon.activities.models import Activity
from maillon.activities.services import record_activity
from maillon.activities.vocabulary import Thematique
from maillon.beneficiaries.models import Beneficiary
from tests.factories.activities import activity_data


def accompany(
    person: Beneficiary,
    *,
    by: User,
    on: dt.date,
    autonomy: str = "",
    themes: Sequence[str] = (Thematique.EMAIL,),
) -> Activity:
    """An individual session at a distance with `person`, by a member of their structure."""
    return record_activity(
        actor=by,
        data=activity_data(
            person.structure, beneficiary=person, date=on, autonomy=autonomy, themes=tuple(themes)
        ),
    )
