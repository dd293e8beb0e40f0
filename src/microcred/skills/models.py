"""Skills taxonomies (ESCO, O*NET, custom), skill vectors for suggestions, and the catalog of
learning opportunities that lead to micro-credentials.

Plain data only: reading the taxonomy files lives in ``microcred.core.skills``; imports,
catalog writes and suggestions in ``services.py``; reads in ``selectors.py``.

Decision (keys): every skill and occupation keeps its scheme and the scheme's own code, and
its ``uri`` is the one key the rest of the platform uses (OB ``alignment.targetUrl``, role
skills, a learner's held skills). ESCO concepts already have URIs; O*NET elements get
URNs ``urn:onet:<element id>`` and O*NET occupations ``urn:onet:soc:<code>`` (an O*NET id
is not a web page); custom skills ``urn:microcred:<taxonomy>:skill:<slug>`` (``core.skills.custom``).
"""

from __future__ import annotations

from django.db import models


class Scheme(models.TextChoices):
    ESCO = "esco", "ESCO"
    ONET = "onet", "O*NET"
    CUSTOM = "custom", "Custom"


class Skill(models.Model):
    """One skill, knowledge area or competence of one taxonomy."""

    scheme = models.CharField(max_length=16, choices=Scheme.choices)
    code = models.CharField(max_length=200)
    uri = models.CharField(max_length=300, unique=True)
    label = models.CharField(max_length=300)
    alt_labels = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    #: skill/competence, knowledge, technology, transversal... as the taxonomy names it
    skill_type = models.CharField(max_length=64, blank=True)
    #: the broader concept's URI (a skill group or a broader skill), for the hierarchy
    broader_uri = models.CharField(max_length=300, blank=True)
    #: which release it came from ("ESCO 1.2.0", "O*NET 29.2", "demo")
    release = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ("label", "id")
        constraints = (
            models.UniqueConstraint(fields=["scheme", "code"], name="skill_scheme_code"),
        )
        indexes = (models.Index(fields=["scheme", "label"], name="skill_scheme_label"),)

    def __str__(self) -> str:
        return f"{self.label} ({self.get_scheme_display()})"


class Occupation(models.Model):
    """An occupation with the skills it needs (an employer's role can start from one)."""

    scheme = models.CharField(max_length=16, choices=Scheme.choices)
    code = models.CharField(max_length=200)
    uri = models.CharField(max_length=300, unique=True)
    label = models.CharField(max_length=300)
    alt_labels = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    release = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ("label", "id")
        constraints = (
            models.UniqueConstraint(fields=["scheme", "code"], name="occupation_scheme_code"),
        )

    def __str__(self) -> str:
        return f"{self.label} ({self.get_scheme_display()})"


class OccupationSkill(models.Model):
    class Relation(models.TextChoices):
        ESSENTIAL = "essential", "Essential"
        OPTIONAL = "optional", "Optional"

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupations")
    relation = models.CharField(max_length=16, choices=Relation.choices)
    #: 0..1 (O*NET importance IM/5; ESCO: essential 1.0, optional 0.3)
    importance = models.FloatField(default=1.0)
    #: the level the occupation needs on the 1-8 EQF-like scale, when the taxonomy says
    level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["occupation", "skill"], name="occupation_skill_once"),
        )


class SkillVector(models.Model):
    """A skill's embedding for semantic suggestions, computed once per model and stored."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="vectors")
    model = models.CharField(max_length=100)
    #: float16 little-endian bytes of the L2-normalised vector
    vector = models.BinaryField()
    #: sha256 of the text embedded: a changed label is embedded again
    text_digest = models.CharField(max_length=64)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["skill", "model"], name="skill_vector_per_model"),
        )


class Offering(models.Model):
    """A learning opportunity in the catalog: what it costs and which credential it leads to."""

    class Mode(models.TextChoices):
        ONLINE = "online", "Online"
        BLENDED = "blended", "Blended"
        ON_SITE = "onsite", "On site"

    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="offerings"
    )
    slug = models.SlugField(max_length=64)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    #: the micro-credential a learner earns by completing it
    definition = models.ForeignKey(
        "credentials.MicroCredentialDefinition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offerings",
    )
    hours = models.DecimalField(max_digits=7, decimal_places=1)
    ects = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="EUR")
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.ONLINE)
    language = models.CharField(max_length=16, default="en")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    #: EQF level 1-8
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    #: every one of these must be completed first (their credentials earned)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="unlocks"
    )
    is_published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("title", "id")
        constraints = (
            models.UniqueConstraint(fields=["provider", "slug"], name="offering_slug_per_provider"),
        )
        indexes = (models.Index(fields=["is_published", "title"], name="offering_published"),)

    def __str__(self) -> str:
        return self.title


class OfferingSkill(models.Model):
    """A skill an offering teaches, and to which level (1-8)."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="offerings")
    level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["offering", "skill"], name="offering_skill_once"),
        )
