"""Staff exports: the CSV streams and XLSX links of every filtered staff list (`views`), and the XLSX jobs a worker
builds (`services`).
"""
