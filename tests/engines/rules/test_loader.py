"""Loading policies: safe YAML, and refusals that name the file, the line, the path and the rule."""

from __future__ import annotations

import textwrap

import pytest

from talentgate.engines.rules import PolicyInvalid, load_policy
from talentgate.engines.rules.registry import get_policy, policy_ids, shipped_policies

MINIMAL = textwrap.dedent(
    """\
    id: demo
    version: "1"
    title: {en: Demo, ru: Демо}
    effective_from: 2025-01-01
    source: {title: Demo rules, publisher: Us, as_of: 2025-01-01}
    inputs:
      - {name: age_years, type: integer, unit: years, label: {en: age, ru: возраст}}
      - {name: nationality_code, type: category, unit: code, values: [aa, bb], label: {en: n, ru: н}}
    groups:
      - {id: main, label: {en: Main, ru: Основное}}
    factors:
      - id: age
        kind: banded
        group: main
        input: age_years
        label: {en: Age, ru: Возраст}
        bands:
          - {id: young, min: 18, max: 29, points: 10, label: {en: young, ru: молодой}}
          - {id: older, min: 30, max: null, points: 5, label: {en: older, ru: старше}}
    """
)


def _refusal(text: str) -> PolicyInvalid:
    with pytest.raises(PolicyInvalid) as caught:
        load_policy("demo.yaml", text=text)
    return caught.value


def test_refuses_nationality_as_an_input_naming_line_and_path():
    error = _refusal(MINIMAL)
    problem = error.problems[0]
    assert (problem.file, problem.line, problem.path) == ("demo.yaml", 8, "inputs[1].name")
    assert "selection is by merit" in problem.rule
    assert str(problem).startswith("demo.yaml:8: inputs[1].name: ")


def _valid() -> str:
    lines = MINIMAL.splitlines(keepends=True)
    return "".join(line for line in lines if "nationality_code" not in line)


def test_minimal_policy_loads():
    policy = load_policy("demo.yaml", text=_valid())
    assert policy.id == "demo"
    assert policy.variant_ids == ["default"]


def test_negative_points_are_refused_at_the_band_line():
    text = _valid().replace("points: 5,", "points: -5,")
    problem = _refusal(text).problems[0]
    assert problem.path == "factors[0].bands[1].points"
    assert problem.line == 18
    assert "never negative" in problem.rule


def test_type_error_names_the_exact_field():
    text = _valid().replace("points: 10,", "points: ten,")
    problems = _refusal(text).problems
    assert {p.path for p in problems} == {"factors[0].bands[0].points"}
    assert all(p.line == 17 for p in problems)


def test_missing_russian_text_is_refused():
    text = _valid().replace("{en: Age, ru: Возраст}", "{en: Age}")
    problem = _refusal(text).problems[0]
    assert problem.path == "factors[0].label.ru"
    assert problem.line == 15
    assert problem.rule == "Field required"


def test_unknown_factor_kind_is_named():
    problem = _refusal(_valid().replace("kind: banded", "kind: formula")).problems[0]
    assert problem.path == "factors[0]"
    assert "kind must be one of" in problem.rule


def test_overlapping_bands_are_refused():
    problem = _refusal(_valid().replace("min: 30", "min: 29")).problems[0]
    assert problem.path == "factors[0].bands[1].min"
    assert "without overlap" in problem.rule


def test_unknown_input_is_refused():
    problem = _refusal(_valid().replace("input: age_years", "input: age_days")).problems[0]
    assert problem.path == "factors[0]"
    assert "unknown input 'age_days'" in problem.rule


def test_python_tags_never_build_objects():
    text = _valid().replace('version: "1"', "version: !!python/object/apply:os.system ['true']")
    problem = _refusal(text).problems[0]
    assert problem.line == 2
    assert "not safe" in problem.rule


def test_duplicate_keys_are_refused_not_silently_overwritten():
    text = _valid().replace('version: "1"\n', 'version: "1"\nversion: "2"\n')
    problem = _refusal(text).problems[0]
    assert problem.line == 3
    assert "duplicate key 'version'" in problem.rule


def test_points_per_variant_must_name_every_variant():
    text = _valid().replace(
        "groups:\n",
        "variants:\n  - {id: a, label: {en: a, ru: а}, when: {input: age_years, op: ge, value: 50}}\n"
        "  - {id: b, label: {en: b, ru: б}}\ngroups:\n",
    )
    text = text.replace("points: 10,", "points: {a: 10},")
    problem = _refusal(text).problems[0]
    assert problem.path == "factors[0].bands[0].points"
    assert "exactly the variants" in problem.rule


def test_conditions_are_data_and_are_checked():
    text = _valid() + (
        "gates:\n  - id: adult\n    label: {en: Adult, ru: Взрослый}\n"
        "    when: {input: age_years, op: ge, value: adult}\n    failed: {en: too young, ru: слишком молод}\n"
    )
    problem = _refusal(text).problems[0]
    assert problem.path == "gates[0].when.value"
    assert "compares with numbers" in problem.rule


def test_designed_policies_need_a_rationale_per_factor():
    text = _valid().replace("as_of: 2025-01-01}", "as_of: 2025-01-01, illustrative: true}")
    problem = _refusal(text).problems[0]
    assert problem.path == "factors[0].rationale"


def test_every_shipped_policy_loads_and_has_sources():
    shipped = shipped_policies()
    assert set(policy_ids()) == {
        "canada-crs",
        "early-career-fellowship",
        "germany-opportunity-card",
        "japan-hsp",
        "programme-merit",
    }
    for item in shipped:
        assert item.policy.source.as_of is not None
        assert item.file.startswith(item.policy.id + "/policy-")


def test_no_shipped_policy_scores_protected_attributes():
    banned = ("nationality", "sex", "gender", "religion", "ethnic", "race", "political")
    for item in shipped_policies():
        for spec in item.policy.inputs:
            assert not any(word in spec.name for word in banned), (item.file, spec.name)


def test_canada_crs_versions_have_adjacent_dates():
    old = get_policy("canada-crs", version="2020-10-27")
    new = get_policy("canada-crs", version="2025-03-25")
    assert old.effective_to is not None
    assert (new.effective_from - old.effective_to).days == 1
    assert any(f.id == "arranged_employment" for f in old.factors)
    assert not any(f.id == "arranged_employment" for f in new.factors)


def test_citizenship_may_only_gate_a_policy_with_a_legal_basis():
    gate = (
        "gates:\n  - id: partner_country\n    label: {en: Partner country, ru: Страна-партнёр}\n"
        "    when: {input: citizenship_partner_country, op: eq, value: true}\n"
        "    failed: {en: not covered by the agreement, ru: не подпадает под соглашение}\n"
    )
    declared = _valid().replace(
        "groups:\n",
        "  - {name: citizenship_partner_country, type: boolean, unit: flag, label: {en: c, ru: г}}\ngroups:\n",
    )
    problem = _refusal(declared + gate).problems[0]
    assert problem.path == "inputs[1].name"
    with_basis = declared.replace("as_of: 2025-01-01}", "as_of: 2025-01-01, legal_basis: Exchange agreement art. 3}")
    assert load_policy("demo.yaml", text=with_basis + gate).gates[0].id == "partner_country"


@pytest.mark.parametrize("text", ["^\x89", "id: demo\x07\n", "\x00"])
def test_a_control_character_is_invalid_yaml_not_a_crash(text):
    """Found by the API fuzz run: the YAML reader refuses such characters when it is made, outside the guard."""
    with pytest.raises(PolicyInvalid) as raised:
        load_policy("demo.yaml", text=text)
    assert "not valid YAML" in str(raised.value)
