"""The public catalogue of certified products: which products are certified live and which lack a permit
(`selectors`), the pages (`views`) and the open-data API (`api`). Entries are kept by owners in
`applicants.listings`.
"""
