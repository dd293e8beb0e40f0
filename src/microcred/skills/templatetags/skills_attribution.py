"""``{{ schemes|taxonomy_attributions }}``: the credit lines for the taxonomies a page shows."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from microcred.skills.attribution import Attribution, attribution_for

register = template.Library()


@register.filter
def taxonomy_attributions(schemes: Iterable[str] | str | None) -> list[Attribution]:
    return attribution_for(schemes)
