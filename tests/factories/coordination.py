"""Coordination activities: `coordination_data()` for the services."""

from typing import Any

from maillon.coordination.services import CoordinationData, PartnerStructure
from maillon.coordination.vocabulary import (
    NaturePartenariat,
    Organisateur,
    ThematiqueAnimation,
    TypeActiviteCoordination,
    TypeAnimation,
    TypeEvenement,
    TypeStructurePartenaire,
)
from tests.factories.activities import DEFAULT_DATE


def coordination_data(
    kind: str = TypeActiviteCoordination.ANIMATION, **fields: Any
) -> CoordinationData:
    """A valid activity of the given type; override anything."""
    values: dict[str, Any] = {"type": kind, "date": DEFAULT_DATE}
    if kind == TypeActiviteCoordination.ANIMATION:
        values.update(
            duration_minutes=90,
            animation_type=TypeAnimation.REUNION_COORDINATION,
            mediators_count=8,
            animation_themes=(ThematiqueAnimation.PARTAGE,),
        )
    elif kind == TypeActiviteCoordination.EVENEMENT:
        values.update(
            name="Forum numérique de Laval",
            event_type=TypeEvenement.GRAND_PUBLIC,
            participants_count=120,
            organisers=(Organisateur.DEPARTEMENT,),
        )
    else:
        values.update(
            name="Parcours France Services",
            partnership_natures=(NaturePartenariat.PARCOURS_USAGER,),
            partner_structures=(
                PartnerStructure(name="CAF de la Mayenne", type=TypeStructurePartenaire.ETAT),
            ),
        )
    values.update(fields)
    return CoordinationData(**values)
