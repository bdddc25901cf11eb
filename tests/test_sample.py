"""The sample programme: Healthier Together (BNSSG), as in the September 2018 terms of reference."""

from __future__ import annotations

from ics_desktop.frameworks.scoring import compute_results
from ics_desktop.storage.store import Store

SEED_MATURITY = {
    "1.1": (2, 4), "1.2": (2, 4), "1.3": (2, 4), "1.4": (2, 3), "1.5": (2, 4),
    "2.1": (2, 3), "2.2": (1, 3), "2.3": (2, 4),
    "3.1": (2, 4), "3.2": (1, 4),
    "4.1": (2, 4), "4.2": (2, 3), "4.3": (2, 4),
    "5.1": (None, None),
}  # fmt: skip


def test_sample_system_programme_and_people(sample_store: Store) -> None:
    [programme] = sample_store.programmes()
    assert programme.system_name == "Healthier Together (BNSSG)"
    assert programme.name == "Supporting Aspiring ICS Programme"
    system = sample_store.system(programme.system_id)
    assert len(system["priority_areas"]) == 10
    assert system["priority_areas"][0] == "Integrated community localities"
    assert system["priority_areas"][-1] == "Healthy Weston"
    assert system["overview"].startswith("The Healthier Together STP comprises Bristol City")
    participants = sample_store.people(programme.id, "participant")
    delivery = sample_store.people(programme.id, "delivery")
    assert len(participants) == 14 and len(delivery) == 8
    julia = participants[0]
    assert (julia.name, julia.topic_lead) == ("Julia Ross", "Sharpening communication and vision")
    assert {p.team for p in delivery} == {"Alliance delivery team", "NHSE/I team"}
    assert delivery[0].name == "Kalee Talvitie-Brown" and delivery[0].profile.startswith("Kalee will be the key")


def test_sample_readiness_matches_the_seed(sample_store: Store) -> None:
    [programme] = sample_store.programmes()
    framework = sample_store.programme_framework(programme.id)
    assert not framework.capability("5.1").covered
    [assessment] = sample_store.assessments(programme.id)
    assert assessment.name == "Scoping readiness exercise"
    assert "illustrative" in assessment.notes
    agreed = sample_store.capability_results(assessment.id)
    assert {c: (r["agreed_current"], r["agreed_desired"]) for c, r in agreed.items()} == SEED_MATURITY
    focus = {c for c, r in agreed.items() if r["focus"]}
    assert focus == {"1.1", "1.2", "1.3", "1.4", "1.5", "2.3", "3.1", "3.2", "4.1", "4.2"}
    results = compute_results(framework, sample_store.responses(assessment.id))
    overall_now = results.overall("now")
    assert overall_now is not None and round(overall_now, 1) == 1.9  # the seed's "We rated the system as 1.9"
    assert sample_store.illustrative_respondents(assessment.id) == sample_store.respondent_count(assessment.id) == 14
    assert results.result("5.1", "now").n == 0


def test_sample_areas_of_focus_and_milestones(sample_store: Store) -> None:
    [programme] = sample_store.programmes()
    areas = sample_store.areas_of_focus(programme.id)
    assert [a["title"] for a in areas] == [
        "Sharpening and communicating our vision",
        "System governance and leadership",
        "Vision through to execution",
        "System finances and single plan",
        "Care re-design",
        "Population health management",
    ]
    assert areas[1]["preferred_workshops"] == [1, 3, 8]
    assert areas[1]["capabilities"] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert areas[3]["capabilities"] == ["3.1", "3.2"]
    assert areas[4]["outputs"] == ["Roadmaps for each priority area"]
    assert "Single version of the truth." in areas[5]["outcomes"]
    assert areas[0]["narrative"].startswith("There is a vision, but we want to develop a narrative")
    leads = {p.id: p.name for p in sample_store.people(programme.id)}
    assert [leads[i] for i in areas[5]["topic_leads"]] == ["Sara Blackmore", "Peter Brindle"]
    milestones = sample_store.milestones(programme.id)
    assert len(milestones) == 6
    assert milestones[1]["title"] == "Publish a single system plan for 2019/20 that is jointly owned"
    assert milestones[1]["due_date"] == "2019-04-11"
    assert all(m["ambition_year"] == "2020/21" and m["milestone_year"] == "2019/20" for m in milestones)
    catalogue = [c["number"] for c in sample_store.workshop_catalogue(programme.id)]
    assert catalogue == [1, 3, 4, 5, 7, 8, 10, 12, 15, 16, 17]


def test_sample_is_deterministic(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ics_desktop.sample import create_sample_database

    summaries = []
    for name in ("a.sqlite", "b.sqlite"):
        create_sample_database(tmp_path / name)
        store = Store.open(tmp_path / name, read_only=True)
        [assessment] = store.assessments(store.programmes()[0].id)
        summaries.append(
            sorted((r.respondent, r.capability_code, r.question, r.score or 0) for r in store.responses(assessment.id))
        )
        store.close()
    assert summaries[0] == summaries[1]
