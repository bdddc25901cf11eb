"""Deep copy of a programme under fresh ids, references remapped (foreign keys and JSON id lists)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ics_desktop.storage.store import Store

# (table, parent column, parent table) in dependency order: parents before children.
_CHILDREN: list[tuple[str, str, str]] = [
    ("people", "programme_id", "programmes"),
    ("workshop_catalogue", "programme_id", "programmes"),
    ("areas_of_focus", "programme_id", "programmes"),
    ("assessments", "programme_id", "programmes"),
    ("respondents", "assessment_id", "assessments"),
    ("responses", "respondent_id", "respondents"),
    ("capability_results", "assessment_id", "assessments"),
    ("workshops", "programme_id", "programmes"),
    ("workshop_items", "workshop_id", "workshops"),
    ("actions", "programme_id", "programmes"),
    ("action_notes", "action_id", "actions"),
    ("milestones", "programme_id", "programmes"),
]
_REFERENCE_COLUMNS = ("person_id", "area_id", "workshop_id", "framework_id")


def _remap(value: Any, id_map: dict[str, str]) -> Any:
    if isinstance(value, str):
        return id_map.get(value, value)
    if isinstance(value, list):
        return [_remap(v, id_map) for v in value]
    return value


def duplicate_programme(store: Store, programme_id: str, new_name: str) -> str:
    """Copy inside the caller's transaction; returns the new programme's id."""
    source = store.get("programmes", programme_id)
    id_map: dict[str, str] = {}

    system = store.get("systems", source["system_id"])
    id_map[system["id"]] = store.insert(
        "systems", {k: v for k, v in system.items() if k not in ("created", "modified", "id")}
    )
    frameworks = store.rows(
        "SELECT DISTINCT f.* FROM frameworks f WHERE f.id = ? OR f.id IN "
        "(SELECT framework_id FROM assessments WHERE programme_id = ?)",
        (source["framework_id"], programme_id),
    )
    for fw in frameworks:
        id_map[fw["id"]] = store.insert(
            "frameworks",
            {k: v for k, v in fw.items() if k not in ("created", "modified", "id")} | {"based_on_id": fw["id"]},
        )
    programme_values = {k: v for k, v in source.items() if k not in ("created", "modified", "id")}
    programme_values.update(name=new_name, system_id=id_map[system["id"]], framework_id=id_map[source["framework_id"]])
    programme_values["sample"] = 0  # a copy is the facilitator's own programme, even one made from the sample
    id_map[programme_id] = store.insert("programmes", programme_values)

    copied: dict[str, list[str]] = {"programmes": [programme_id]}
    for table, parent_column, parent_table in _CHILDREN:
        parents = copied.get(parent_table, [])
        copied[table] = []
        for parent in parents:
            for row in store.rows(f"SELECT * FROM [{table}] WHERE [{parent_column}] = ?", (parent,)):
                old_id = row.pop("id")
                row.pop("created"), row.pop("modified")
                row[parent_column] = id_map[parent]
                for column in list(row):
                    if column in _REFERENCE_COLUMNS or isinstance(row[column], list):
                        row[column] = _remap(row[column], id_map)
                id_map[old_id] = store.insert(table, row)
                copied[table].append(old_id)
    return id_map[programme_id]
