# ruff: noqa: RUF001 — typographic apostrophes are part of the reference texts.
"""The reference's help under each thématique (La Coop's tooltip bullets, §1.5 of the domain
reference), shown as visible text linked to its checkbox by `aria-describedby`."""

from maillon.activities.vocabulary import Thematique

_BULLETS: dict[str, tuple[str, ...]] = {
    Thematique.DIAGNOSTIC_NUMERIQUE: (
        "Évaluation des compétences numériques des bénéficiaires",
        "Réaliser un questionnaire d’évaluation (ex : ABC Diag de Pix)",
    ),
    Thematique.PRENDRE_EN_MAIN_DU_MATERIEL: (
        "Utiliser un ordinateur, une tablette ou un smartphone",
        "Utiliser des périphériques (réseau wifi, clé USB, imprimante, scanner…)",
        "Connaître & configurer les outils de base",
    ),
    Thematique.MAINTENANCE_DE_MATERIEL: (
        "Maintenance de niveau 1",
        "Installation et paramétrage de matériel informatique",
        "Mise à jour des systèmes, installer/désinstaller outils et applications...",
    ),
    Thematique.GERE_SES_CONTENUS_NUMERIQUES: (
        "Organiser, stocker et retrouver des données, des informations et des contenus dans des "
        "environnements numériques",
    ),
    Thematique.NAVIGATION_SUR_INTERNET: (
        "Faire une recherche",
        "Naviguer sur internet",
        "Me connecter, remplir un formulaire…",
    ),
    Thematique.EMAIL: (
        "Choisir & créer une boîte mail",
        "Envoyer et consulter des mails",
        "Envoyer et recevoir des documents",
    ),
    Thematique.BUREAUTIQUE: ("Outils de traitement de texte, tableur…", "Gérer mes documents"),
    Thematique.RESEAUX_SOCIAUX: (
        "Maintenir un lien social avec les réseaux sociaux.",
        "Utiliser son téléphone pour communiquer : Mails, Sms, Whatsapp, etc.",
        "Prendre en main un logiciel de visioconférence.",
    ),
    Thematique.SANTE: (
        "Ameli",
        "Mon Espace Santé",
        "Prendre rendez-vous chez un spécialiste (Doctolib…)",
    ),
    Thematique.BANQUE_ET_ACHATS_EN_LIGNE: (
        "Application bancaire",
        "Effectuer un achat en ligne",
        "Gérer son budget (tableurs, etc.)",
    ),
    Thematique.ENTREPRENEURIAT: (
        "Créer mon entreprise",
        "Communication professionnelle (Site internet, réseaux sociaux…)",
        "Outils pour gérer mon entreprise : comptabilité, gestion, collaboration, etc.",
    ),
    Thematique.INSERTION_PROFESSIONNELLE: (
        "France Travail, Mon Compte Formation…",
        "Créer & diffuser son CV en ligne",
        "Rechercher un emploi en ligne",
    ),
    Thematique.SECURITE_NUMERIQUE: (
        "Me connecter sans risque",
        "Protéger mes informations personnelles",
        "Reconnaître les sites et messages frauduleux",
    ),
    Thematique.PARENTALITE: (
        "Utiliser une plateforme de suivi scolaire",
        "Sites et logiciels éducatifs",
        "Dangers pour mon enfant & harcèlement",
    ),
    Thematique.SCOLARITE_ET_NUMERIQUE: (
        "Accompagner un groupe scolaire et/ou un enfant sur un outil numérique",
        "Évaluer le niveau des jeunes avec un logiciel (maths, français, etc.)",
    ),
    Thematique.CREER_AVEC_LE_NUMERIQUE: (
        "Création / gestion de médias : photos, vidéos, illustrations",
        "Fablabs : impression 3D, code",
    ),
    Thematique.CULTURE_NUMERIQUE: (
        "Usages responsables du numérique",
        "Fake news, éducation aux médias",
        "Citoyenneté & engagement",
        "RGPD, Open Source, Licences libres…",
    ),
    Thematique.INTELLIGENCE_ARTIFICIELLE: (
        "Comprendre les enjeux autour de l’IA",
        "Utiliser et interagir de manière critique avec les outils d’IA",
        "Animer un Café IA dans le cadre d’un atelier collectif",
    ),
    Thematique.AIDE_AUX_DEMARCHES_ADMINISTRATIVES: (
        "Aider le bénéficiaire à trouver la bonne plateforme pour sa démarche",
        "Apprendre à s’inscrire et utiliser les services : CAF, Impôts, France Connect, etc...",
    ),
    Thematique.PAPIERS_ELECTIONS_CITOYENNETE: (
        "État-civil, Passeport, Élections, Papiers à conserver, Carte d’identité...",
        "ANTS · Défenseur des droits",
    ),
    Thematique.FAMILLE_SCOLARITE: (
        "Allocations familiales, Naissance, Mariage, Pacs, Scolarité...",
        "CAF · EduConnect · ameli.fr",
    ),
    Thematique.SOCIAL_SANTE: (
        "Carte vitale, Chômage, Handicap, RSA, Personnes âgées...",
        "ameli.fr · MSA",
    ),
    Thematique.TRAVAIL_FORMATION: (
        "CDD, Concours, Retraite, Démission, Période d’essai...",
        "France Travail · Mon compte formation · info-retraite.fr",
    ),
    Thematique.LOGEMENT: (
        "Allocations logement, Permis de construire, Logement social, Fin de bail...",
        "CAF · Enedis",
    ),
    Thematique.TRANSPORTS_MOBILITE: (
        "Carte grise, Permis de conduire, Contrôle technique, Infractions...",
        "ANTS · ANTAI · Crit’air",
    ),
    Thematique.ARGENT_IMPOTS: (
        "Crédit immobilier, Impôts, Consommation, Livret A, Assurance, Surendettement...",
        "impots.gouv.fr · Timbres fiscaux",
    ),
    Thematique.JUSTICE: (
        "Casier judiciaire, Plainte, Aide juridictionnelle, Saisie...",
        "Télérecours citoyens",
    ),
    Thematique.ETRANGERS_EUROPE: (
        "Titres de séjour, Attestation d’accueil, Regroupement familial...",
        "OFPRA",
    ),
    Thematique.LOISIRS_SPORTS_CULTURE: (
        "Animaux, Permis bateau, Tourisme, Permis de chasser...",
        "Ariane",
    ),
    Thematique.ASSOCIATIONS: (
        "Statuts, Fonctionnement, Financement...",
        "Familles rurales · Croix-Rouge Française · Les Restos du cœur · Emmaüs",
    ),
}

THEMATIQUE_HINTS: dict[str, str] = {
    str(code): " ; ".join(bullets) for code, bullets in _BULLETS.items()
}
