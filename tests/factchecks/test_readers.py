"""Every import format on valid and hostile files: what is read, and the one-line reason for what is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from narratrace.factchecks.importer import read_factchecks, sniff_format
from narratrace.factchecks.records import FactCheck, FieldMap, stable_id
from narratrace.ingest.base import Rejection

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str, mapping: FieldMap | None = None, fmt: str | None = None) -> tuple[list[FactCheck], dict[str, str]]:
    items = list(read_factchecks(FIXTURES / name, mapping or FieldMap(), fmt))
    found = [i for i in items if isinstance(i, FactCheck)]
    rejected = {i.origin.removeprefix(str(FIXTURES) + "/"): i.reason for i in items if isinstance(i, Rejection)}
    return found, rejected


@pytest.mark.parametrize(("name", "fmt"), [
    ("claimreview_single.json", "claimreview"), ("claimreview_list.json", "claimreview"),
    ("claimreview_graph.jsonld", "claimreview"), ("page_with_claimreview.html", "claimreview"),
    ("broken.json", "claimreview"), ("gfc_response.json", "gfc"), ("mapped.tsv", "tsv"), ("simple.csv", "csv"),
])
def test_the_format_is_recognised_from_the_content(name: str, fmt: str) -> None:
    assert sniff_format((FIXTURES / name).read_text(encoding="utf-8")) == fmt


def test_a_single_claimreview_gives_every_field() -> None:
    found, rejected = read("claimreview_single.json")
    assert rejected == {}
    [fc] = found
    assert fc.claim.startswith("The United States moved ISIS fighters from Syria to the Al-Tanf base")
    assert fc.title == "No, the US did not send ISIS fighters from Al-Tanf to Ukraine"
    assert (fc.rating, fc.author, fc.date, fc.declared_language) == ("False", "Example Fact Check", "2023-05-04", "en")
    assert fc.url == "https://factcheck.example.org/2023/05/al-tanf-fighters"
    assert fc.id == stable_id(fc.claim, fc.url) and fc.id.startswith("fc-")


def test_a_list_keeps_the_good_records_and_names_each_bad_one() -> None:
    found, rejected = read("claimreview_list.json")
    assert [fc.rating for fc in found] == ["Falso", "Falsch"]
    assert found[1].author == "Faktencheck Beispiel"  # a list of organisations
    assert found[1].date == "2022-11-20"  # from a full timestamp with offset
    assert rejected == {
        "claimreview_list.json#2": "missing claim (field 'claimReviewed')",
        "claimreview_list.json#3": "field 'claimReviewed' is a list, not text",
        "claimreview_list.json#4": "missing reviewRating",
        "claimreview_list.json#5": "not a ClaimReview (@type 'NewsArticle')",
        "claimreview_list.json#6": "not a ClaimReview (a str)",
        "claimreview_list.json#7": "field 'datePublished' holds no date I can read: 'sometime last spring' "
                                   "(give --date-format)",
    }


def test_a_graph_holds_other_nodes_beside_its_claimreview() -> None:
    found, rejected = read("claimreview_graph.jsonld")
    assert rejected == {}
    [fc] = found
    assert (fc.rating, fc.author, fc.declared_language) == ("Faux", "Vérif Exemple", "fr")


def test_an_html_page_yields_its_nested_claimreview_and_names_its_broken_block() -> None:
    found, rejected = read("page_with_claimreview.html")
    [fc] = found
    assert fc.claim.startswith("Amerika Serikat memindahkan militan ISIS ke pangkalan Al-Tanf")
    assert fc.origin.endswith("page_with_claimreview.html#script2.1")
    assert list(rejected) == ["page_with_claimreview.html#script3"]
    assert rejected["page_with_claimreview.html#script3"].startswith("invalid JSON-LD")


def test_a_page_without_claimreview_and_broken_json_are_one_error_each() -> None:
    assert read("page_without_claimreview.html") == (
        [], {"page_without_claimreview.html": "HTML page without ClaimReview (1 JSON-LD block)"})
    found, rejected = read("broken.json")
    assert found == [] and list(rejected) == ["broken.json"]
    assert rejected["broken.json"].startswith("invalid JSON")


def test_a_claims_search_response_gives_one_factcheck_per_review() -> None:
    found, rejected = read("gfc_response.json")
    assert [(fc.author, fc.rating, fc.declared_language, fc.date) for fc in found] == [
        ("Health Check Example", "False", "en", "2020-03-12"), ("Verifica Esempio", "Falso", "it", "2020-03-14")]
    assert {fc.claim for fc in found} == {"Drinking hot water every 15 minutes kills the coronavirus."}
    assert rejected == {
        "gfc_response.json#1.3": "field 'url' is not a URL: '12345'",
        "gfc_response.json#2": "no claimReview list",
        "gfc_response.json#3": "claim is a str, not an object",
    }


def test_a_mapped_tsv_takes_its_ids_from_the_id_field() -> None:
    mapping = FieldMap(id="check_id", claim="statement", rating="verdict", url="link")
    found, rejected = read("mapped.tsv", mapping)
    assert [(fc.id, fc.title, fc.date) for fc in found] == [
        ("1", "Is the Eiffel Tower being dismantled?", "2024-01-15"), ("5", "Are a third of bridges unsafe?", None)]
    assert rejected == {
        "mapped.tsv#3": "missing claim (field 'statement')",
        "mapped.tsv#4": "row has 7 fields, header has 6",
        "mapped.tsv#5": "field 'link' is not a URL: 'not a url'",
    }


def test_a_column_can_be_named_by_position_and_a_wrong_name_is_one_error() -> None:
    found, _ = read("mapped.tsv", FieldMap(id="#1", claim="#2"))
    assert [fc.id for fc in found] == ["1", "5"]
    found, rejected = read("mapped.tsv", FieldMap(claim="claimtext"))
    assert found == [] and list(rejected) == ["mapped.tsv"]
    assert rejected["mapped.tsv"].startswith("no such column: --claim-field 'claimtext'")


def test_a_csv_with_usual_names_needs_no_mapping_and_quoted_cells_survive() -> None:
    found, rejected = read("simple.csv")
    [fc] = found
    assert (fc.id, fc.claim, fc.rating) == ("7", 'The moon landing was filmed in a studio, say "experts".', "False")
    assert rejected == {"simple.csv#3": "field 'date' holds no date I can read: '2019-13-45' (give --date-format)"}


def test_a_forced_format_that_does_not_fit_rejects_instead_of_guessing() -> None:
    found, rejected = read("simple.csv", fmt="gfc")
    assert found == [] and list(rejected) == ["simple.csv"]


def test_checkthat_verified_claims_import_by_position(shared_data: Path) -> None:
    path = shared_data / "clef2020-checkthat-task2" / "verified_claims.docs.tsv"
    items = list(read_factchecks(path, FieldMap(id="#1", claim="vclaim", title="title")))
    assert all(isinstance(i, FactCheck) for i in items)
    assert len(items) == 10375 and len({i.id for i in items}) == 10375
    assert items[0].id == "0" and items[0].title.startswith("Did 122 Prisoners Released from Guantanamo")


def test_euvsdisinfo_cases_import_with_a_mapping(shared_data: Path) -> None:
    posts = list(read_factchecks(shared_data / "euvsdisinfo" / "posts.csv", FieldMap(claim="title", url="id")))
    assert len(posts) > 10_000 and all(isinstance(i, FactCheck) for i in posts)
    assert posts[0].id == posts[0].url == "https://euvsdisinfo.eu/report/german-special-services-helped-navalny/"
    assert posts[0].date == "2021-02-18"
    kalkun = list(read_factchecks(shared_data / "euvsdisinfo" / "kalkun_full_dataset_formatted.csv",
                                  FieldMap(claim="summary", date_format="%m/%d/%y")))
    good = [i for i in kalkun if isinstance(i, FactCheck)]
    assert len(good) > 3000
    assert good[0].title == "Explosions in Vinnitsa were organized by Ukrainian soldiers"
    assert good[0].date == "2017-10-03" and good[0].declared_language == "Russian"
    assert all(i.reason == "missing claim (field 'summary')" for i in kalkun if isinstance(i, Rejection))
