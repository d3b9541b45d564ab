"""Link the loaded offers: merge each with the offers it extends, order the stages' choices,
and check that every rule and channel names something that exists."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mlops_template.errors import CatalogError
from mlops_template.model import NONE_ID, Channel, Offer, Stage


def _merged_compose(base: dict[str, Any], offer: dict[str, Any]) -> dict[str, Any]:
    """The base's team-stack services with the offer's added; an offer's service replaces the base's of that name."""
    merged = dict(base)
    for key, value in offer.items():
        if isinstance(value, dict):
            merged[key] = {**base.get(key, {}), **value}
        elif isinstance(value, list):
            merged[key] = [*base.get(key, []), *(item for item in value if item not in base.get(key, []))]
        else:
            merged[key] = value
    return merged


def _extend(offer: Offer, base: Offer) -> Offer:
    """``offer`` on top of the (already extended) ``base``: base contributions first, its own added."""
    return replace(
        offer,
        packages=base.packages + offer.packages,
        extra_packages=base.extra_packages + offer.extra_packages,
        dev_packages=base.dev_packages + offer.dev_packages,
        env=base.env + offer.env,
        make=base.make + offer.make,
        scripts=base.scripts | offer.scripts,
        gitignore=base.gitignore + offer.gitignore,
        readme="\n".join(text for text in (base.readme, offer.readme) if text),
        layout=base.layout | offer.layout,
        provides=base.provides | offer.provides,
        consumes=tuple(dict.fromkeys(base.consumes + offer.consumes)),
        capabilities=tuple(dict.fromkeys(base.capabilities + offer.capabilities)),
        verbatim=base.verbatim + offer.verbatim,
        compose=_merged_compose(base.compose, offer.compose),
        local_services=base.local_services + offer.local_services,
        requires=base.requires + offer.requires,
        conflicts=base.conflicts + offer.conflicts,
        questions=base.questions + offer.questions,
        pre_commit=base.pre_commit + offer.pre_commit,
        extends=(*offer.extends, *base.extends),
        base_dirs=base.files_dirs,
    )


def resolve_extends(offers: list[Offer]) -> list[Offer]:
    """Merge every offer with the offers it extends, in the same stage."""
    by_id = {offer.tool_id: offer for offer in offers}

    def resolved(offer: Offer, seen: tuple[str, ...]) -> Offer:
        if not offer.extends:
            return offer
        [base_id] = offer.extends
        base = by_id.get(base_id)
        if base is None or base_id in seen:
            problem = "extends itself" if base is not None else f"extends '{base_id}', which offers no {offer.stage_id}"
            raise CatalogError(f"{offer.tool_id} in {offer.stage_id} {problem}")
        return _extend(offer, resolved(base, (*seen, offer.tool_id)))

    return [resolved(offer, (offer.tool_id,)) for offer in offers]


def resolve_includes(offers: list[Offer], parts: dict[str, Offer]) -> list[Offer]:
    """Merge into every offer the shared parts it includes: the parts' files and contributions first."""
    resolved = []
    for offer in offers:
        for part_id in reversed(offer.includes):
            part = parts.get(part_id)
            if part is None:
                raise CatalogError(
                    f"{offer.tool_id} in {offer.stage_id} includes '{part_id}', which catalog/shared/ does not hold"
                )
            merged = _extend(offer, part)
            offer = replace(merged, extends=offer.extends, base_dirs=(part.files_dir, *offer.base_dirs))
        resolved.append(offer)
    return resolved


def build_stage(spec: dict[str, Any], offers: list[Offer]) -> Stage:
    stage_id = spec["id"]
    selectable = [offer.tool_id for offer in offers if offer.selectable]
    default = spec.get("default", NONE_ID if NONE_ID in selectable else None)
    if selectable and default not in selectable:
        raise CatalogError(f"stage '{stage_id}': default '{default}' must be one of its selectable tools {selectable}")
    # Default first: cookiecutter treats the first choice as the default; "none" last.
    offers = sorted(offers, key=lambda offer: (offer.tool_id != default, offer.tool_id == NONE_ID))
    return Stage(
        id=stage_id,
        label=spec["label"],
        question=spec["question"],
        description=spec["description"],
        offers=tuple(offers),
        interface=spec.get("interface", ""),
    )


def check_rules(stages: tuple[Stage, ...]) -> None:
    """Every rule names a selectable choice of a stage, or a capability some selectable tool has."""
    choices = {stage.id: set(stage.choices) for stage in stages}
    capabilities = {
        name for stage in stages for offer in stage.selectable for name in (*offer.provides, *offer.capabilities)
    }
    for stage in stages:
        for offer in stage.offers:
            for rule in (*offer.requires, *offer.conflicts):
                if rule.capability:
                    if rule.capability not in capabilities:
                        raise CatalogError(
                            f"{offer.tool_id} in {stage.id}: a rule names the capability '{rule.capability}',"
                            " which no selectable tool has"
                        )
                    continue
                unknown = set(rule.tool_ids) - choices.get(rule.stage_id, set())
                if rule.stage_id not in choices or unknown:
                    raise CatalogError(
                        f"{offer.tool_id} in {stage.id}: a rule names {rule.stage_id}={sorted(unknown)}"
                        " which is not a selectable choice"
                    )


def check_channels(stages: tuple[Stage, ...], channels: dict[str, Channel]) -> None:
    """Offers provide and consume only channels that ``channels.yaml`` declares."""
    for stage in stages:
        for offer in stage.offers:
            unknown = [name for name in (*offer.provides, *offer.consumes) if name not in channels]
            if unknown:
                raise CatalogError(
                    f"{offer.tool_id} in {stage.id} names channels {unknown}"
                    " that catalog/channels.yaml does not declare"
                )
