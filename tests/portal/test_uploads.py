"""The shared upload checks: pictures and documents are judged by what is in them, within each
app's limits, and pictures keep nothing of the sender's metadata."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from portal import uploads
from portal.uploads import UploadRejected, check_document, clean_image
from tests.pictures import GPS, picture

LIMITS = {"max_bytes": 5 * 1024 * 1024, "max_pixels": 40_000_000}


def png_claiming(width, height):
    """A tiny PNG file whose header claims a picture of width by height pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_real_jpeg_comes_out_without_its_gps_position():
    upload = picture(gps=True)
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(ExifTags.IFD.GPSInfo) == GPS
    upload.seek(0)

    cleaned = clean_image(upload, **LIMITS)

    data = cleaned.content.read()
    kept = Image.open(io.BytesIO(data))
    assert (kept.format, cleaned.content_type, cleaned.extension) == ("JPEG", "image/jpeg", "jpg")
    assert kept.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert b"Exif" not in data and b"PhoneMaker" not in data


def test_a_sideways_photo_is_turned_upright_before_its_metadata_goes():
    cleaned = clean_image(picture(size=(64, 48), orientation=6), **LIMITS)
    assert (cleaned.width, cleaned.height) == (48, 64)


def test_a_png_renamed_jpg_is_judged_by_its_content_and_stays_a_png():
    cleaned = clean_image(picture("PNG", name="holiday.jpg"), **LIMITS)
    assert cleaned.content_type == "image/png"
    assert cleaned.content.name == "photo.png"
    assert Image.open(cleaned.content).format == "PNG"


def test_a_text_file_named_png_is_refused_with_the_apps_words():
    fake = SimpleUploadedFile("garden.png", b"Just some words, not a picture.")
    with pytest.raises(UploadRejected, match="^garden.png must be a JPG or PNG picture$"):
        clean_image(fake, **LIMITS)
    with pytest.raises(UploadRejected, match="^Your photo must be a JPEG, PNG or HEIC photo$"):
        clean_image(fake, **LIMITS, what="Your photo", kind="a JPEG, PNG or HEIC photo")


def test_a_format_the_app_does_not_take_is_refused_though_it_is_a_picture():
    with pytest.raises(UploadRejected, match="must be a JPG or PNG picture"):
        clean_image(picture("GIF", name="photo.gif"), **LIMITS)


def test_an_empty_or_oversized_file_is_refused_with_the_limit_in_words():
    with pytest.raises(UploadRejected, match="^empty.jpg is empty$"):
        clean_image(SimpleUploadedFile("empty.jpg", b""), **LIMITS)
    big = picture(size=(400, 400))
    with pytest.raises(UploadRejected, match="^photo.jpeg must be smaller than 0MB$"):
        clean_image(big, max_bytes=1000, max_pixels=LIMITS["max_pixels"])
    with pytest.raises(UploadRejected, match="must be smaller than 1000"):
        clean_image(big, max_bytes=1000, max_pixels=LIMITS["max_pixels"], size_words=str)


def test_a_picture_over_the_pixel_limit_is_refused_with_the_apps_advice():
    with pytest.raises(UploadRejected, match="is too large a picture. Use a smaller photo$"):
        clean_image(
            picture(size=(200, 100)),
            max_bytes=10**6,
            max_pixels=19_999,
            too_large="Use a smaller photo",
        )


def test_a_decompression_bomb_is_refused_without_being_decoded():
    bomb = SimpleUploadedFile("bomb.png", png_claiming(100_000, 100_000))
    assert bomb.size < 200
    with pytest.raises(UploadRejected, match="^bomb.png must be a JPG or PNG picture$"):
        clean_image(bomb, **LIMITS)
    within_pillows_limit = SimpleUploadedFile("big.png", png_claiming(8_000, 8_000))
    with pytest.raises(UploadRejected, match="^big.png is too large a picture"):
        clean_image(within_pillows_limit, **LIMITS)


def test_a_picture_is_scaled_down_to_the_longest_edge_only_when_larger():
    scaled = clean_image(picture(size=(3000, 2000)), **LIMITS, longest_edge=1600, stem="picture")
    assert (scaled.width, scaled.height, scaled.content.name) == (1600, 1067, "picture.jpg")
    small = clean_image(picture(size=(300, 200)), **LIMITS, longest_edge=1600)
    assert (small.width, small.height) == (300, 200)


# -- documents -------------------------------------------------------------------------------------------------

EVERY_KIND = (
    uploads.PDF,
    uploads.JPEG,
    uploads.PNG,
    uploads.DOC,
    uploads.DOCX,
    uploads.XLSX,
    uploads.CSV,
)


def office_file(name, part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(part, "<xml/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def check(uploaded, kinds=EVERY_KIND, max_bytes=1024 * 1024):
    return check_document(
        uploaded, kinds=kinds, max_bytes=max_bytes, kinds_in_words="a PDF or Word document"
    )


@pytest.mark.parametrize(
    ("uploaded", "kind"),
    [
        (SimpleUploadedFile("minutes.docx", b"%PDF-1.4 really a pdf"), uploads.PDF),
        (office_file("notes.bin", "word/document.xml"), uploads.DOCX),
        (office_file("figures.zip", "xl/workbook.xml"), uploads.XLSX),
        (SimpleUploadedFile("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), uploads.DOC),
        (SimpleUploadedFile("rents.csv", "home,rent\nFlat 1,£98.50\n".encode()), uploads.CSV),
        (picture("PNG", name="scan.pdf"), uploads.PNG),
        (picture(name="scan.png"), uploads.JPEG),
    ],
)
def test_a_document_is_known_by_its_content_not_its_name(uploaded, kind):
    assert check(uploaded) == kind
    assert uploaded.tell() == 0  # left ready to be stored


def test_documents_the_app_does_not_take_are_refused_in_its_words():
    other_zip = office_file("archive.docx", "something/else.xml")
    with pytest.raises(ValidationError, match="archive.docx must be a PDF or Word document"):
        check(other_zip)
    spreadsheet = office_file("figures.xlsx", "xl/workbook.xml")
    with pytest.raises(ValidationError, match="figures.xlsx must be a PDF or Word document"):
        check(spreadsheet, kinds=(uploads.PDF, uploads.DOCX))
    for not_csv in (
        SimpleUploadedFile("notes.txt", b"plain words"),
        SimpleUploadedFile("binary.csv", b"a,b\x00c"),
    ):
        with pytest.raises(ValidationError):
            check(not_csv)


def test_an_empty_or_oversized_document_is_refused():
    with pytest.raises(ValidationError, match="empty.pdf is empty"):
        check(SimpleUploadedFile("empty.pdf", b""))
    with pytest.raises(ValidationError, match="big.pdf must be smaller than 1MB"):
        check(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (1024 * 1024)))


def test_a_document_is_stored_under_a_random_name_and_offered_under_its_own():
    uploaded = SimpleUploadedFile("Board report – April.pdf" + "x" * 300, b"%PDF-1.4")
    assert uploads.download_name(uploaded) == uploaded.name[:200]
    first, second = uploads.stored_name(uploads.PDF), uploads.stored_name(uploads.PDF)
    assert first != second and first.endswith(".pdf") and len(first) == 36
