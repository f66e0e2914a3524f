"""The OpenAPI 3.1 document of the read-only places API, generated from `search.PARAMETERS`.

Parameters come from the same definitions the parser uses, and the `Lieu` schema lists the
keys `views.api.place_json` writes (a test validates real responses against it), so the
document cannot drift from the code.
"""

from typing import Any

from maillon.places.search import (
    DEFAULT_PER_PAGE,
    FALSE_WORDS,
    PARAMETERS,
    TRUE_WORDS,
    Kind,
    Parameter,
)
from maillon.places.vocabulary import ENUM_FIELDS

API_VERSION = "1.0.0"

# The standard's enumerated fields, in the order of the standard's columns.
ENUM_FIELD_NAMES = (
    "itinerance",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
)


def _nullable(kind: str) -> dict[str, Any]:
    return {"type": [kind, "null"]}


def _strings(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def _labels(field: str) -> dict[str, Any]:
    labels = [str(label) for label in ENUM_FIELDS[field].labels]
    return {
        "type": "array",
        "items": {"type": "string", "enum": labels},
        "description": "Libellés exacts du standard (les codes sont dans `codes`).",
    }


def _codes(field: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string", "enum": list(ENUM_FIELDS[field].values)}}


def place_schema() -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": {"type": "string", "format": "uuid", "description": "Identifiant public stable."},
        "url": {"type": "string", "format": "uri", "description": "Fiche du lieu sur Maillon."},
        "nom": {"type": "string"},
        "pivot": {"type": "string", "description": "SIRET, RNA ou RIDET ; vide si inconnu."},
        "structure_parente": {"type": "string"},
        "adresse": {"type": "string"},
        "complement_adresse": {"type": "string"},
        "code_postal": {"type": "string"},
        "commune": {"type": "string"},
        "code_insee": {"type": "string"},
        "latitude": _nullable("number"),
        "longitude": _nullable("number"),
        "position_approximative": {
            "type": "boolean",
            "description": (
                "Vrai quand latitude et longitude sont le centre de la commune, pas le lieu."
            ),
        },
        "typologie": _strings("Codes de typologie du standard."),
        "telephone": {"type": "string"},
        "courriels": _strings("Adresses électroniques."),
        "site_web": _strings("Sites web."),
        "horaires": {
            "type": "string",
            "description": "Horaires au format OpenStreetMap opening_hours ; vide si inconnus.",
        },
        "ouvert_maintenant": {
            **_nullable("boolean"),
            "description": "Ouvert à l'heure de la requête (heure locale du lieu) ; null sans "
            "horaires.",
        },
        "presentation_resume": {"type": "string"},
        "presentation_detail": {"type": "string"},
        "source": {"type": "string", "description": "Structure collectant la donnée."},
        **{field: _labels(field) for field in ENUM_FIELD_NAMES},
        "autres_formations_labels": _strings("Autres formations et labels (texte libre)."),
        "fiche_acces_libre": {"type": "string"},
        "prise_rdv": {"type": "string"},
        "date_maj": {"type": "string", "format": "date"},
        "completude": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100,
            "description": "Score de complétion (0 à 100).",
        },
        "distance_m": {
            **_nullable("integer"),
            "description": (
                "Distance en mètres au point ou à la commune recherchés ; null sans centre de "
                "recherche ou quand la position du lieu est approximative."
            ),
        },
        "codes": {
            "type": "object",
            "description": "Codes stables des valeurs énumérées (ceux des filtres).",
            "properties": {field: _codes(field) for field in ENUM_FIELD_NAMES},
            "required": list(ENUM_FIELD_NAMES),
            "additionalProperties": False,
        },
    }
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def page_schema() -> dict[str, Any]:
    link = {**_nullable("string"), "format": "uri"}
    return {
        "type": "object",
        "properties": {
            "count": {"type": "integer", "minimum": 0, "description": "Nombre total de lieux."},
            "page": {"type": "integer", "minimum": 1},
            "par_page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "next": {**link, "description": "Page suivante ; null sur la dernière."},
            "previous": {**link, "description": "Page précédente ; null sur la première."},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Lieu"}},
        },
        "required": ["count", "page", "par_page", "pages", "next", "previous", "results"],
        "additionalProperties": False,
    }


ERRORS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "erreurs": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Messages en français nommant le paramètre et la valeur refusée.",
        }
    },
    "required": ["erreurs"],
    "additionalProperties": False,
}


def parameter_document(parameter: Parameter) -> dict[str, Any]:
    """One query parameter as OpenAPI describes it."""
    description = parameter.description
    schema: dict[str, Any]
    if parameter.kind is Kind.TEXT:
        schema = {"type": "string"}
    elif parameter.kind in {Kind.NUMBER, Kind.INTEGER}:
        schema = {"type": "number" if parameter.kind is Kind.NUMBER else "integer"}
        for key, value in (
            ("minimum", parameter.minimum),
            ("maximum", parameter.maximum),
            ("default", parameter.default),
        ):
            if value is not None:
                schema[key] = int(value) if parameter.kind is Kind.INTEGER else value
    elif parameter.kind is Kind.FLAG:
        schema = {"type": "string", "enum": sorted((TRUE_WORDS | FALSE_WORDS) - {""})}
    else:
        items: dict[str, Any] = {"type": "string"}
        choices = parameter.choices()
        if choices:
            items["enum"] = [code for code, _ in choices]
            description += " Valeurs : " + " ; ".join(
                f"`{code}` ({label})" for code, label in choices
            )
        schema = {"type": "array", "items": items}
    document: dict[str, Any] = {
        "name": parameter.name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        "example": parameter.example.split(",") if parameter.is_list else parameter.example,
    }
    if parameter.is_list:
        # Comma-separated; repeating the parameter is accepted too.
        document["style"] = "form"
        document["explode"] = False
    return document


def _json_response(description: str, schema: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def openapi_document(*, list_path: str, detail_path: str) -> dict[str, Any]:
    """The whole document; paths are given by the caller (from the URL resolver)."""
    example_place: dict[str, Any] = {
        "id": "0f8b3a52-6d2c-4c55-9a8e-3f5c1f0f2a11",
        "url": "https://maillon.example.fr/lieux/0f8b3a52-6d2c-4c55-9a8e-3f5c1f0f2a11/",
        "nom": "Espace public numérique de Laval",
        "services": ["Aide aux démarches administratives"],
        "codes": {"services": ["aide_demarches"]},
        "distance_m": 420,
    }
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Lieux de médiation numérique — API de Maillon",
            "version": API_VERSION,
            "description": (
                "API publique en lecture seule des lieux de médiation numérique publiés par "
                "Maillon, au format du standard national v1.0.2 (libellés exacts) avec les "
                "codes stables des valeurs énumérées. Sans authentification ; réponses mises en "
                "cache 60 secondes ; CORS ouvert. Dans un filtre, les valeurs sont combinées par "
                "OU ; des filtres différents sont combinés par ET. Un paramètre inconnu ou une "
                "valeur invalide donne une réponse 400 qui explique l'erreur en français."
            ),
        },
        "paths": {
            list_path: {
                "get": {
                    "operationId": "listerLieux",
                    "summary": "Rechercher des lieux",
                    "description": (
                        f"Lieux publiés, {DEFAULT_PER_PAGE} par page par défaut : triés par "
                        "distance quand un centre est donné (q ou lat/lon ; les lieux à position "
                        "approximative viennent après les autres), sinon par nom."
                    ),
                    "parameters": [parameter_document(p) for p in PARAMETERS],
                    "responses": {
                        "200": {
                            **_json_response("Une page de lieux.", "PageDeLieux"),
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/PageDeLieux"},
                                    "example": {
                                        "count": 1,
                                        "page": 1,
                                        "par_page": DEFAULT_PER_PAGE,
                                        "pages": 1,
                                        "next": None,
                                        "previous": None,
                                        "results": [example_place],
                                    },
                                }
                            },
                        },
                        "400": {
                            "description": "Paramètre inconnu ou valeur invalide.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Erreurs"},
                                    "example": {
                                        "erreurs": [
                                            "rayon : « 500 » dépasse le maximum (100).",
                                        ]
                                    },
                                }
                            },
                        },
                    },
                }
            },
            detail_path: {
                "get": {
                    "operationId": "lireLieu",
                    "summary": "Lire un lieu publié",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "description": "Identifiant public du lieu (UUID).",
                            "schema": {"type": "string", "format": "uuid"},
                        }
                    ],
                    "responses": {
                        "200": _json_response("Le lieu.", "Lieu"),
                        "404": _json_response("Aucun lieu publié avec cet identifiant.", "Erreurs"),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Lieu": place_schema(),
                "PageDeLieux": page_schema(),
                "Erreurs": ERRORS_SCHEMA,
            }
        },
    }
