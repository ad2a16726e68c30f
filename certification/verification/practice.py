"""The facility and practice lines of the assistant's checklist, besides one line per ingredient and process step.

What the halal process assistant checks on site for a self-declare case, per BPJPH's technical guidance for assistants:
Keputusan Kepala BPJPH No. 150 Tahun 2022 (Petunjuk Teknis Pendamping Proses Produk Halal dalam Penentuan Kewajiban
Bersertifikat Halal bagi Pelaku Usaha Mikro dan Kecil yang Didasarkan atas Pernyataan Pelaku Usaha), as amended by
Kepkaban No. 22 Tahun 2023, and the verification and validation instrument it uses; Kepkaban 146/2025 is reported to
replace 150/2022 (regulations.json: not confirmed), with the same on-site checks. The lines rest on:

- UU 33/2014 Ps 21 (as amended by UU 6/2023): the location, place and equipment of the halal product process are
  separated from those of non-halal products (slaughter, processing, storage, packaging, distribution, sale,
  serving), kept clean and hygienic, free of najis and of non-halal materials;
- the self-declare criteria of Kepkaban 150/2022: a location, place and equipment separate from non-halal
  production; simple (manual or semi-automatic) equipment; materials of assured halal status; the owner's pledge
  (ikrar) that the products and process are halal;
- the halal assurance system criteria of Kepkaban 57/2021 (Kriteria Sistem Jaminan Produk Halal): cleaning and
  sanitation materials that are not from haram or najis sources, storage that keeps halal materials apart, and a
  product whose name, shape and label do not refer to anything haram (pork, alcoholic drinks, and the like).

Sources read: BPJPH's slides on the verval procedure (2023-2024) and public summaries of Kepkaban 150/2022; the
decrees' own annexes were not read, so the wording here is the platform's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Practice:
    code: str
    label: Promise
    detail: Promise
    source: str

    @property
    def key(self) -> str:
        return f"p-{self.code}"


PRACTICES: tuple[Practice, ...] = (
    Practice(
        "separation",
        _("Separation from non-halal production"),
        _(
            "The production location, place and equipment are used only for halal products, apart from any non-halal "
            "product's slaughter, processing, storage, packaging, distribution, sale or serving."
        ),
        "UU 33/2014 Ps 21(1); Kepkaban 150/2022 (criteria)",
    ),
    Practice(
        "najis",
        _("Free of najis"),
        _("No najis (pork, dogs, blood, carcasses) or non-halal material where the products are made or kept."),
        "UU 33/2014 Ps 21(2)",
    ),
    Practice(
        "cleaning",
        _("Cleaning and sanitation"),
        _(
            "Equipment and the production place are cleaned after use, with cleaning agents that are not from haram "
            "or najis sources (e.g. no brushes of pig bristle)."
        ),
        "UU 33/2014 Ps 21(2); Kepkaban 57/2021 (SJPH criteria)",
    ),
    Practice(
        "equipment",
        _("Equipment"),
        _(
            "Simple, manual or semi-automatic equipment, never shared with non-halal products, matching the process "
            "the owner declared."
        ),
        "Kepkaban 150/2022 (criteria)",
    ),
    Practice(
        "storage",
        _("Storage of materials and finished products"),
        _("Materials and finished products are stored apart from non-halal goods, covered and labelled."),
        "UU 33/2014 Ps 21(1); Kepkaban 57/2021 (SJPH criteria)",
    ),
    Practice(
        "product_name",
        _("Product name and label"),
        _(
            "The product's name, shape and label do not refer to anything haram (pork, alcoholic drinks, and the "
            "like), and no halal label is printed before the certificate is issued."
        ),
        "Kepkaban 57/2021 (SJPH criteria: product); Kepkaban 40/2022 (halal label)",
    ),
    Practice(
        "pledge",
        _("The owner's pledge"),
        _("The owner signed the pledge (ikrar), understands it, and the process seen on site is the one pledged."),
        "Kepkaban 150/2022; PMA 20/2021",
    ),
)
BY_KEY = {practice.key: practice for practice in PRACTICES}
