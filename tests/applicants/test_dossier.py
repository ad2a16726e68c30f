"""The dossier: people, facilities, ingredients with their classification, process steps; bad input refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from applicants import selectors
from applicants.models import Facility, Ingredient, Kbli, Person, PositiveListEntry, ProcessStep, Product, Region
from tests.applicants.factories import BusinessFactory, FiguresFactory, IngredientFactory, ProductFactory, case_for

pytestmark = pytest.mark.django_db
API = "/api/v1/businesses/"
As = Callable[[Any], APIClient]
CERT = "ID18110000012340125"
TODAY = timezone.localdate()
CRITICAL = "Memiliki titik kritis: tidak ada sertifikat halal dan tidak ada di daftar positif."
EXPIRED = [
    {
        "name": "Gula",
        "halal_certificate_number": CERT,
        "certificate_issuer": "bpjph",
        "certificate_valid_until": "2020-01-01",
    }
]


def _product(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Keripik pisang",
        "brand": "Pisang Mas",
        "packaging": "Plastik",
        "kbli": "10794",
        "ingredients": [
            {"name": "Pisang", "positive_list_entry": PositiveListEntry.objects.get(name="buah segar").pk},
            {"name": "Minyak goreng", "halal_certificate_number": CERT, "certificate_issuer": "BPJPH",
             "certificate_valid_until": str(TODAY + dt.timedelta(days=300)), "producer": "PT Minyak", "kind": "raw"},
            {"name": "Perisa keju", "kind": "additive"},
        ],
        "steps": [
            {"stage": "purchase", "description": "Beli pisang di pasar", "ingredients": ["Pisang"]},
            {"stage": "processing", "description": "Goreng irisan pisang", "ingredients": ["Pisang", "Minyak goreng"]},
        ],
    }  # fmt: skip
    data.update(overrides)
    return data


def test_the_reference_lists_ship_with_their_source() -> None:
    kbli = Kbli.objects.get(code="10794")
    assert "Kerupuk" in kbli.title.title() and "Badan Pusat Statistik" in kbli.source
    assert Kbli.objects.filter(code__startswith="11").exists()
    assert PositiveListEntry.objects.filter(name="air", verified=False).exists()


def test_each_ingredient_is_classified_with_its_reason(alice: Any) -> None:
    product = ProductFactory(business=BusinessFactory(owner=alice))
    listed = IngredientFactory(
        product=product, name="Air", positive_list_entry=PositiveListEntry.objects.get(name="air")
    )
    certified = IngredientFactory(
        product=product,
        name="Minyak",
        positive_list_entry=None,
        halal_certificate_number=CERT,
        certificate_issuer="bpjph",
    )
    expired = IngredientFactory(
        product=product,
        name="Kecap",
        positive_list_entry=None,
        halal_certificate_number=CERT,
        certificate_issuer="bpjph",
        certificate_valid_until=TODAY - dt.timedelta(days=1),
    )
    claimed = IngredientFactory(product=product, name="Daun pandan", positive_list_entry=None, exempt_claim=True)
    bare = IngredientFactory(product=product, name="Perisa", positive_list_entry=None)
    assert not listed.is_doubtful and not certified.is_doubtful
    assert listed.classification().evidence == "Daftar positif (KMA 1360/2021): air"
    assert "kedaluwarsa" in expired.doubtful_reason()
    assert claimed.classification().basis == "claim" and claimed.is_doubtful
    assert "pendamping memastikannya di lokasi" in claimed.doubtful_reason()
    assert bare.doubtful_reason() == CRITICAL
    in_db = Ingredient.objects.filter(Ingredient.doubtful_q(TODAY)).order_by("name")
    assert [i.name for i in in_db] == ["Daun pandan", "Kecap", "Perisa"]


def test_the_profile_is_not_complete_while_an_ingredient_is_doubtful(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    IngredientFactory(product=ProductFactory(business=business), name="Perisa", positive_list_entry=None)
    completeness = selectors.business_completeness(business)
    assert not completeness.products and completeness.doubtful_ingredients
    listed = selectors.business_completeness(selectors.with_completeness(type(business).objects.all()).get())
    assert not listed.products


def test_the_owner_sees_doubtful_ingredients_with_what_to_do(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    IngredientFactory(
        product=ProductFactory(business=business, name="Keripik"), name="Perisa", positive_list_entry=None
    )
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("applicants:business_detail", args=[business.pk])).content.decode()
    assert "Bahan yang diragukan" in page
    assert "Perisa" in page and "nomor sertifikat halal" in page


def test_the_owner_saves_a_product_with_ingredients_and_steps_through_the_api(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    response = api_as(alice).post(f"{API}{business.pk}/products/", _product(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [(i["name"], i["doubtful"]) for i in body["ingredients"]] == [
        ("Pisang", False),
        ("Minyak goreng", False),
        ("Perisa keju", True),
    ]
    assert body["ingredients"][2]["doubtful_reason"].startswith("Memiliki titik kritis")
    assert body["steps"][1] == {
        "order": 2,
        "stage": "processing",
        "description": "Goreng irisan pisang",
        "ingredients": ["Pisang", "Minyak goreng"],
    }
    product = Product.objects.get()
    assert (product.brand, product.packaging, product.kbli) == ("Pisang Mas", "Plastik", "10794")


def test_a_positive_list_name_is_linked_to_its_entry(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    payload = _product(ingredients=[{"name": "Air"}], steps=[])
    assert api_as(alice).post(f"{API}{business.pk}/products/", payload, format="json").status_code == 201
    ingredient = Ingredient.objects.get()
    assert ingredient.positive_list_entry == PositiveListEntry.objects.get(name="air") and not ingredient.exempt_claim
    assert not ingredient.is_doubtful


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ingredients": [{"name": "Gula", "halal_certificate_number": "ID1", "certificate_issuer": "bpjph"}]},
         "nomor sertifikat BPJPH ID1 tidak valid"),
        ({"ingredients": [{"name": "Gula", "halal_certificate_number": "00150012345678"}]}, "siapa yang menerbitkan"),
        ({"ingredients": EXPIRED}, "kedaluwarsa"),
        ({"ingredients": [{"name": "Gula"}, {"name": " gula "}]}, "tercantum dua kali"),
        ({"steps": [{"stage": "processing", "description": "   "}]}, "Langkah 1"),
        ({"steps": [{"stage": "processing", "description": "Aduk", "ingredients": ["Kayu"]}]}, "Kayu"),
        ({"ingredients": [{"name": f"Bahan {i}"} for i in range(5000)]}, "500"),
    ],
)  # fmt: skip
def test_bad_product_input_answers_400_and_writes_nothing(
    api_as: As, alice: Any, overrides: dict[str, Any], message: str
) -> None:
    business = BusinessFactory(owner=alice)
    response = api_as(alice).post(f"{API}{business.pk}/products/", _product(**overrides), format="json")
    assert response.status_code == 400
    assert message in str(response.json()), response.json()
    assert not Product.objects.exists() and not Ingredient.objects.exists() and not ProcessStep.objects.exists()


def test_a_second_product_with_the_same_name_is_refused(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    ProductFactory(business=business, name="Keripik pisang")
    response = api_as(alice).post(f"{API}{business.pk}/products/", _product(), format="json")
    assert response.status_code == 400
    assert "sudah memiliki produk" in response.json()["detail"]
    assert Product.objects.count() == 1


def test_the_owner_records_the_halal_supervisor_and_the_api_shows_the_nik_masked(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    url = f"{API}{business.pk}/people/"
    payload = {"role": "supervisor", "name": "Siti", "nik": "1871014506850002", "religion": "islam"}
    response = api_as(alice).post(url, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["nik_masked"] == "1871********0002" and "nik" not in response.json()
    assert Person.objects.get().nik == "1871014506850002"
    again = api_as(alice).post(url, {**payload, "name": "Siti Aminah"}, format="json")
    assert again.status_code == 201
    assert list(Person.objects.values_list("name", flat=True)) == ["Siti Aminah"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"nik": "12345"}, "NIK harus tepat 16 digit."),
        ({"nik": "187101234567000a"}, "NIK harus tepat 16 digit."),
        ({"nik": "0000000000000000"}, "NIK diawali 00, yang bukan kode provinsi."),
        ({"nik": "9971014506850002"}, "NIK diawali 99, yang bukan kode provinsi."),
        ({"nik": "1871019906850002"}, "bukan tanggal lahir"),  # day 99
        ({"nik": "1871010113850002"}, "bukan tanggal lahir"),  # month 13
        ({"nik": "1871013002850002"}, "bukan tanggal lahir"),  # 30 February
        ({"nik": "1871017002850002"}, "bukan tanggal lahir"),  # 30 February of a woman (70 = 30 + 40)
        ({"nik": "1871013506850002"}, "bukan tanggal lahir"),  # day 35: neither a man's nor a woman's day
        ({"nik": "1871014506850000"}, "Empat digit terakhir NIK tidak boleh 0000."),
        ({"religion": "other"}, "Penyelia halal harus beragama Islam"),
    ],
)
def test_bad_supervisor_input_answers_400_and_writes_nothing(
    api_as: As, alice: Any, payload: dict[str, str], message: str
) -> None:
    business = BusinessFactory(owner=alice)
    data = {"role": "supervisor", "name": "Siti", "nik": "1871014506850002", "religion": "islam", **payload}
    response = api_as(alice).post(f"{API}{business.pk}/people/", data, format="json")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Person.objects.exists()


def test_a_real_nik_is_read_with_its_date_of_birth_and_stored_as_digits(api_as: As, alice: Any) -> None:
    from applicants.nik import nik_read

    woman = nik_read("18.7101.450685.0002")  # day 45: a woman born on 5 June 1985
    assert (woman.number, woman.birth_date, woman.female) == ("1871014506850002", dt.date(1985, 6, 5), True)
    man = nik_read("3273010101000001")
    assert (man.birth_date, man.female, man.province_code) == (dt.date(2000, 1, 1), False, "32")
    business = BusinessFactory(owner=alice)
    data = {"role": "supervisor", "name": "Siti", "nik": "1871 0145 0685 0002", "religion": "islam"}
    assert api_as(alice).post(f"{API}{business.pk}/people/", data, format="json").status_code == 201
    assert Person.objects.get().nik == "1871014506850002"


def test_the_owner_adds_facilities_and_a_bad_one_is_refused(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    url = f"{API}{business.pk}/facilities/"
    region = Region.objects.get(code="1871").pk
    ok = api_as(alice).post(url, {"kind": "outlet", "name": "Kios", "address": "Jl. Pasar 1", "region": region})
    assert ok.status_code == 201, ok.json()
    bad = api_as(alice).post(url, {"kind": "outlet", "name": "Kios 2", "address": "  ", "region": region})
    assert bad.status_code == 400
    assert "alamat" in str(bad.json()).lower()
    assert list(Facility.objects.values_list("name", flat=True)) == ["Kios"]


def test_an_assistant_reads_the_dossier_only_of_assisted_businesses(api_as: As, alice: Any, bob: Any, pat: Any) -> None:
    assisted, other = BusinessFactory(owner=alice), BusinessFactory(owner=bob)
    case_for(assisted, pph=pat)
    for business in (assisted, other):
        Person.objects.create(business=business, role="responsible", name="Budi")
    client = api_as(pat)
    assert [p["name"] for p in client.get(f"{API}{assisted.pk}/people/").json()] == ["Budi"]
    assert client.get(f"{API}{other.pk}/people/").status_code == 404
    assert client.get(f"{API}{other.pk}/facilities/").status_code == 404
    assert client.post(f"{API}{assisted.pk}/people/", {"role": "responsible", "name": "X"}).status_code == 403


@pytest.mark.parametrize("rows", [1, 20])
def test_the_product_list_costs_the_same_queries_for_1_and_20_products(
    api_as: As, alice: Any, rows: int, django_assert_num_queries: Any
) -> None:
    business = BusinessFactory(owner=alice)
    for i in range(rows):
        product = ProductFactory(business=business)
        ingredient = IngredientFactory(product=product, name=f"Bahan {i}")
        ProcessStep.objects.create(product=product, order=1, stage="processing", description="Aduk").ingredients.add(
            ingredient
        )
    client = api_as(alice)
    with django_assert_num_queries(6):  # roles, business, products, ingredients, steps, steps' ingredients
        response = client.get(f"{API}{business.pk}/products/")
    assert len(response.json()) == rows


def _owner(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_owner_records_the_supervisor_and_a_facility_on_the_pages(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    client = _owner(alice)
    url = reverse("applicants:person_edit", args=[business.pk, "supervisor"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Siti", "nik": "1871014506850002", "religion": "islam"})
    assert response.status_code == 302
    page = client.get(reverse("applicants:business_detail", args=[business.pk])).content.decode()
    assert "Siti" in page and "1871********0002" in page and "1871014506850002" not in page
    region = Region.objects.get(code="1871").pk
    response = client.post(
        reverse("applicants:facility_new", args=[business.pk]),
        {"kind": "production", "name": "Dapur", "address": "Jl. Dapur 2", "region": region},
    )
    assert response.status_code == 302
    assert Facility.objects.get().name == "Dapur"


def test_a_wrong_nik_on_the_page_is_shown_in_indonesian_and_nothing_is_saved(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    response = _owner(alice).post(
        reverse("applicants:person_edit", args=[business.pk, "supervisor"]),
        {"name": "Siti", "nik": "18710123", "religion": "islam"},
    )
    assert response.status_code == 200
    assert "NIK harus tepat 16 digit." in response.content.decode()
    assert not Person.objects.exists()


def test_the_product_page_saves_process_steps_and_refuses_a_step_without_text(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    base = {
        "name": "Keripik", "category": "simple_products", "process": "manual", "preservation_methods": "0",
        "ing-TOTAL_FORMS": "1", "ing-INITIAL_FORMS": "0", "ing-MIN_NUM_FORMS": "0", "ing-MAX_NUM_FORMS": "1000",
        "ing-0-name": "Pisang", "ing-0-exempt_claim": "on",
        "step-TOTAL_FORMS": "2", "step-INITIAL_FORMS": "0", "step-MIN_NUM_FORMS": "0", "step-MAX_NUM_FORMS": "50",
        "step-0-stage": "purchase", "step-0-description": "Beli pisang", "step-0-ingredients": "Pisang",
        "step-1-stage": "processing", "step-1-description": "", "step-1-ingredients": "Pisang",
    }  # fmt: skip
    client = _owner(alice)
    url = reverse("applicants:product_new", args=[business.pk])
    refused = client.post(url, base)
    assert refused.status_code == 200
    assert "Langkah 2: jelaskan apa yang dilakukan pada langkah ini." in refused.content.decode()
    assert not Product.objects.exists()
    assert client.post(url, {**base, "step-1-description": "Goreng"}).status_code == 302
    steps = ProcessStep.objects.order_by("order")
    assert [(s.stage, s.description) for s in steps] == [("purchase", "Beli pisang"), ("processing", "Goreng")]
    assert [i.name for i in steps[1].ingredients.all()] == ["Pisang"]


def test_a_food_kbli_code_outside_the_list_is_refused(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    response = api_as(alice).patch(f"{API}{business.pk}/", {"kbli": "10999"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "KBLI 10999 tidak ada dalam daftar KBLI 2020; pilih kode dari daftar."
    business.refresh_from_db()
    assert business.kbli == "10794"
    page = _owner(alice).get(reverse("applicants:business_edit", args=[business.pk])).content.decode()
    assert '<option value="10794" selected>10794 Industri kerupuk' in page


@pytest.mark.parametrize("rows", [1, 10])
def test_the_people_and_facility_lists_cost_the_same_queries_for_1_and_10_rows(
    api_as: As, alice: Any, rows: int, django_assert_num_queries: Any
) -> None:
    business = BusinessFactory(owner=alice)
    region = Region.objects.get(code="1871")
    for i in range(rows):
        Facility.objects.create(business=business, kind="outlet", name=f"Kios {i}", address="Jl. Pasar", region=region)
    Person.objects.create(business=business, role="responsible", name="Budi")
    client = api_as(alice)
    with django_assert_num_queries(3):  # roles, the business, the facilities with their regions
        assert len(client.get(f"{API}{business.pk}/facilities/").json()) == rows
    with django_assert_num_queries(2):  # the business, the people (the roles are cached by now)
        assert len(client.get(f"{API}{business.pk}/people/").json()) == 1


def test_a_medium_business_is_not_complete_without_a_halal_supervisor(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    FiguresFactory(business=business, year=2025, annual_sales=20_000_000_000)
    assert selectors.business_completeness(business).supervisor_missing
    assert not selectors.business_completeness(business).business
    Person.objects.create(business=business, role="supervisor", name="Siti", nik="1871014506850002", religion="islam")
    listed = selectors.business_completeness(selectors.with_completeness(type(business).objects.all()).get())
    assert listed.business and not listed.supervisor_missing


def test_a_micro_business_is_not_complete_without_a_halal_supervisor_and_its_owner_may_be_it(
    api_as: As, alice: Any
) -> None:
    """UU 33/2014 Ps 24(c): every applicant has a halal supervisor; a micro or small business's owner may act."""
    business = BusinessFactory(owner=alice, phone="081234567890")
    FiguresFactory(business=business, year=2025, annual_sales=100_000_000)
    assert selectors.business_completeness(business).supervisor_missing
    data = {"role": "supervisor", "owner_acts": True, "nik": "1871014506850002", "religion": "islam"}
    response = api_as(alice).post(f"{API}{business.pk}/people/", data, format="json")
    assert response.status_code == 201, response.json()
    person = Person.objects.get()
    assert (person.name, person.owner_acts, person.phone) == (alice.full_name, True, "081234567890")
    assert response.json()["owner_acts"] is True
    business.refresh_from_db()
    assert business.halal_supervisor == alice.full_name
    assert not selectors.business_completeness(business).supervisor_missing


# --- One supervisor, one place (issue 32, item 15) ------------------------------------------------------------------
def test_recording_the_supervisor_with_the_people_sets_the_business_supervisor_field(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice, halal_supervisor="Bu Siti")
    payload = {"role": "supervisor", "name": "Siti Aminah", "nik": "1871014506850002", "religion": "islam"}
    assert api_as(alice).post(f"{API}{business.pk}/people/", payload, format="json").status_code == 201
    business.refresh_from_db()
    assert business.halal_supervisor == "Siti Aminah"
    assert api_as(alice).get(f"{API}{business.pk}/").json()["halal_supervisor"] == "Siti Aminah"


def test_a_different_supervisor_typed_on_the_business_is_refused_in_indonesian_and_nothing_changes(
    api_as: As, alice: Any
) -> None:
    from applicants.dossier.services import person_save

    business = BusinessFactory(owner=alice, name="Keripik Bu Siti")
    fields = {"name": "Siti Aminah", "nik": "1871014506850002", "religion": "islam"}
    person_save(actor=alice, business=business, role="supervisor", fields=fields)
    client = api_as(alice)
    response = client.patch(
        f"{API}{business.pk}/", {"halal_supervisor": "Pak Budi", "name": "Keripik Baru"}, format="json",
        HTTP_ACCEPT_LANGUAGE="id",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Penyelia halal adalah Siti Aminah, sesuai data di “Orang dan fasilitas”; ubah penyelia di sana."
    )
    assert "halal_supervisor" in response.json()["errors"]
    business.refresh_from_db()
    assert (business.name, business.halal_supervisor) == ("Keripik Bu Siti", "Siti Aminah")
    same = client.patch(
        f"{API}{business.pk}/", {"halal_supervisor": "Siti Aminah", "name": "Keripik Baru"}, format="json"
    )
    assert same.status_code == 200  # the form sends the derived name back unchanged: fine


def test_without_a_person_record_the_supervisor_is_free_text(alice: Any) -> None:
    from applicants.services import business_update

    business = BusinessFactory(owner=alice, halal_supervisor="")
    business_update(actor=alice, business=business, fields={"halal_supervisor": "Bu Darmi"})
    business.refresh_from_db()
    assert business.halal_supervisor == "Bu Darmi"


def test_the_owner_of_a_medium_business_may_not_act_as_its_supervisor_and_nothing_is_written(
    api_as: As, alice: Any
) -> None:
    business = BusinessFactory(owner=alice)
    FiguresFactory(business=business, year=2025, annual_sales=20_000_000_000)
    data = {"role": "supervisor", "owner_acts": True, "nik": "1871014506850002", "religion": "islam"}
    response = api_as(alice).post(f"{API}{business.pk}/people/", data, format="json")
    assert response.status_code == 400
    assert "Hanya pemilik usaha mikro atau kecil" in response.json()["detail"]
    assert not Person.objects.exists()
    business.refresh_from_db()
    assert business.halal_supervisor != alice.full_name


def test_the_owner_ticks_i_act_as_the_halal_supervisor_on_the_page(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    client = Client()
    client.force_login(alice)
    url = reverse("applicants:person_edit", args=[business.pk, "supervisor"])
    page = client.get(url)
    assert "Saya bertindak sebagai penyelia halal" in page.content.decode()
    response = client.post(url, {"owner_acts": "on", "nik": "1871014506850002", "religion": "islam"})
    assert response.status_code == 302
    person = Person.objects.get(business=business)
    assert person.owner_acts and person.name == alice.full_name and person.role == "supervisor"
    assert "checked" in client.get(url).content.decode().split('name="owner_acts"')[1].split(">")[0]


def test_the_checklist_asks_for_the_halal_supervisor_with_a_link(alice: Any) -> None:
    from applicants.readiness import business_needs

    business = BusinessFactory(owner=alice)
    lines = {code: need for _p, _l, needs in business_needs(business) for need in needs for code in [need.code]}
    assert not lines["supervisor"].done
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("applicants:business_detail", args=[business.pk])).content.decode()
    assert reverse("applicants:person_edit", args=[business.pk, "supervisor"]) in page
    assert "Penyelia halal ditunjuk" in page
