"""Link the loaded offers: merge each with the offers it extends, order the stages' choices,
and check that every rule and channel names something that exists."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mlops_template.errors import CatalogError
from mlops_template.model import NONE_ID, Channel, Family, FlowStep, Offer, Preset, Stage


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


def _merged_provides(base: dict[str, Any], offer: dict[str, Any]) -> dict[str, Any]:
    """The base's channel values with the offer's: lists (``many`` channels) add up, a single value is replaced."""
    merged = dict(base)
    for name, value in offer.items():
        known = base.get(name)
        merged[name] = list(dict.fromkeys([*known, *value])) if isinstance(known, list) else value
    return merged


def _extend(offer: Offer, base: Offer) -> Offer:
    """``offer`` on top of the (already extended) ``base``: base contributions first, its own added."""
    return replace(
        offer,
        packages=base.packages + offer.packages,
        extra_packages=base.extra_packages + offer.extra_packages,
        dev_packages=base.dev_packages + offer.dev_packages,
        # An heir may give a setting of its base its own default (MinIO's endpoint on S3's code).
        env=tuple({var.name: var for var in (*base.env, *offer.env)}.values()),
        make=base.make + offer.make,
        scripts=base.scripts | offer.scripts,
        gitignore=base.gitignore + offer.gitignore,
        readme="\n".join(text for text in (base.readme, offer.readme) if text),
        layout=base.layout | offer.layout,
        provides=_merged_provides(base.provides, offer.provides),
        consumes=tuple(dict.fromkeys(base.consumes + offer.consumes)),
        capabilities=tuple(dict.fromkeys(base.capabilities + offer.capabilities)),
        verbatim=base.verbatim + offer.verbatim,
        foreign_templates=base.foreign_templates + offer.foreign_templates,
        published_schemas=base.published_schemas | offer.published_schemas,
        only_with={
            capability: base.only_with.get(capability, ()) + offer.only_with.get(capability, ())
            for capability in base.only_with | offer.only_with
        },
        compose=_merged_compose(base.compose, offer.compose),
        local_services=base.local_services + offer.local_services,
        requires=base.requires + offer.requires,
        conflicts=base.conflicts + offer.conflicts,
        questions=base.questions + offer.questions,
        pre_commit=base.pre_commit + offer.pre_commit,
        untyped_imports=base.untyped_imports + offer.untyped_imports,
        dependency_overrides=base.dependency_overrides + offer.dependency_overrides,
        warning_filters=base.warning_filters + offer.warning_filters,
        extends=(*offer.extends, *base.extends),
        base_dirs=tuple(dict.fromkeys((*base.files_dirs, *offer.base_dirs))),
    )


def resolve_uses(offers: list[Offer], kits: dict[str, Offer]) -> list[Offer]:
    """Merge every offer with the kits it uses, as if it extended each (the kit's files first)."""

    def resolved(offer: Offer) -> Offer:
        for kit_id in offer.uses:
            if kit_id not in kits:
                known = ", ".join(sorted(kits)) or "none"
                raise CatalogError(f"{offer.tool_id} in {offer.stage_id} uses the kit '{kit_id}': known kits: {known}")
            offer = replace(_extend(offer, kits[kit_id]), extends=offer.extends)
        return offer

    return [resolved(offer) for offer in offers]


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
        family=spec["family"],
    )


def check_rules(stages: tuple[Stage, ...]) -> None:
    """Every rule names a selectable choice of a stage, or a capability some selectable tool has;
    so does every ``only_with`` of an offer."""
    choices = {stage.id: set(stage.choices) for stage in stages}
    capabilities = {
        name for stage in stages for offer in stage.selectable for name in (*offer.provides, *offer.capabilities)
    }
    for stage in stages:
        for offer in stage.offers:
            for capability in offer.only_with:
                if capability not in capabilities:
                    raise CatalogError(
                        f"{offer.tool_id} in {stage.id}: only_with names the capability '{capability}',"
                        " which no selectable tool has"
                    )
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


def check_families(stages: tuple[Stage, ...], families: tuple[Family, ...]) -> None:
    """Every stage belongs to a declared family."""
    known = {family.id for family in families}
    for stage in stages:
        if stage.family not in known:
            raise CatalogError(f"stage '{stage.id}': family '{stage.family}' is not one of {sorted(known)}")


def check_flow(stages: tuple[Stage, ...], flow: tuple[FlowStep, ...]) -> None:
    """The diagram's steps name known stages, each once, and loop back only to an earlier step."""
    known = {stage.id for stage in stages}
    seen: list[str] = []
    drawn: set[str] = set()
    for step in flow:
        for stage_id in step.stage_ids:
            if stage_id not in known or stage_id in drawn:
                raise CatalogError(f"flow step '{step.id}': stage '{stage_id}' is unknown or in another step too")
            drawn.add(stage_id)
        if step.returns_to and step.returns_to not in seen:
            raise CatalogError(f"flow step '{step.id}': returns_to '{step.returns_to}' is not an earlier step")
        seen.append(step.id)


def check_presets(stages: tuple[Stage, ...], presets: tuple[Preset, ...]) -> None:
    """A preset names only prompted stages and their selectable tools (its rules are checked by the tests)."""
    choices = {stage.id: stage.choices for stage in stages if stage.prompted}
    for preset in presets:
        for stage_id, tool_id in preset.stages.items():
            if tool_id not in choices.get(stage_id, ()):
                raise CatalogError(
                    f"preset '{preset.id}': {stage_id}={tool_id} is not a selectable choice of a prompted stage"
                )
