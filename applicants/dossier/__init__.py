"""The dossier beyond the business card: people, facilities, the checks on ingredients and process steps
(`services`), the documents drafted from the owner's own data (`documents`: application letter, SJPH manual), and
their pages (`views`).
"""
