"""Files in and out: stored names, upload checks, photos made safe, PDFs, QR codes, CSV/XLSX exports.

- `names`: random stored file names (a person's file name is never a path)
- `uploads`: the one rule for every uploaded document (type sniffed, size capped) and download names
- `images`: photos decoded and re-encoded by Pillow (EXIF dropped, thumbnails)
- `pdf`: HTML to PDF with WeasyPrint and the fonts shipped in static/fonts
- `qr`: QR codes with segno
- `exports`: streaming CSV and XLSX writers of staff lists
"""
