"""A product's public catalogue entry, kept by its owner: the writes (`services`) and the owner's page (`views`).
The public catalogue itself is `certification.catalogue`.
"""
