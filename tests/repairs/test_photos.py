"""Photos with a repair report: checked by their content, limited in size and number, stripped of
their location, and shown only to the resident who added them (and to staff)."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from repairs import services
from repairs.models import RepairPhoto
from repairs.photos import PhotoRejected, clean_photo
from tests.pictures import GPS, picture
from tests.repairs.conftest import home_in_block, report, resident_in

pytestmark = pytest.mark.django_db


def test_a_text_file_named_photo_jpg_is_refused_whatever_it_claims_to_be():
    fake = SimpleUploadedFile(
        "photo.jpg", b"This is not a picture, just some text.", content_type="image/jpeg"
    )
    with pytest.raises(PhotoRejected, match="must be a JPEG, PNG or HEIC photo"):
        clean_photo(fake)


def test_a_gif_is_refused_even_though_it_is_a_picture():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    with pytest.raises(PhotoRejected):
        clean_photo(SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg"))


def test_a_photo_over_the_size_limit_is_refused(settings):
    settings.REPAIR_PHOTO_MAX_BYTES = 1000
    big = picture(size=(400, 400))
    assert big.size > 1000
    with pytest.raises(PhotoRejected, match="must be smaller than"):
        clean_photo(big)


def test_the_location_a_phone_stores_in_a_photo_is_removed():
    upload = picture(gps=True)
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(ExifTags.IFD.GPSInfo) == GPS
    upload.seek(0)

    cleaned = clean_photo(upload)

    data = cleaned.content.read()
    kept = Image.open(io.BytesIO(data))
    assert kept.format == "JPEG"
    assert dict(kept.getexif()) == {}
    assert kept.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert b"Exif" not in data
    assert b"PhoneMaker" not in data


def test_a_photo_taken_sideways_is_turned_the_right_way_up_before_its_metadata_goes():
    cleaned = clean_photo(picture(size=(64, 48), orientation=6))  # 6: rotate 90 degrees to view
    assert (cleaned.width, cleaned.height) == (48, 64)


def test_a_png_stays_a_png_and_a_heic_becomes_a_jpeg():
    assert clean_photo(picture("PNG", content_type="image/png")).content_type == "image/png"
    heic = clean_photo(picture("HEIF", gps=True, name="IMG_0001.HEIC", content_type="image/heic"))
    assert heic.content_type == "image/jpeg"
    assert b"Exif" not in heic.content.read()


def test_up_to_five_photos_are_kept_and_a_sixth_is_refused(tenant):
    token = uuid.uuid4()
    services.add_photos(resident=tenant, token=token, uploads=[picture() for _ in range(3)])
    services.add_photos(resident=tenant, token=token, uploads=[picture(), picture()])
    with pytest.raises(PhotoRejected, match="You can add up to 5 photos"):
        services.add_photos(resident=tenant, token=token, uploads=[picture()])
    assert RepairPhoto.objects.filter(report_token=token).count() == 5


def test_six_photos_at_once_are_refused_and_none_kept(tenant):
    with pytest.raises(PhotoRejected):
        services.add_photos(
            resident=tenant, token=uuid.uuid4(), uploads=[picture() for _ in range(6)]
        )
    assert not RepairPhoto.objects.exists()


def test_one_bad_file_refuses_the_whole_upload(tenant):
    fake = SimpleUploadedFile("photo.jpg", b"not a picture", content_type="image/jpeg")
    with pytest.raises(PhotoRejected):
        services.add_photos(resident=tenant, token=uuid.uuid4(), uploads=[picture(), fake])
    assert not RepairPhoto.objects.exists()


def test_photos_are_stored_under_random_names(tenant):
    (photo,) = services.add_photos(
        resident=tenant, token=uuid.uuid4(), uploads=[picture(name="flat 12 alder house grace.jpg")]
    )
    assert "alder" not in photo.image.name
    assert photo.image.name.endswith(f"{photo.public_id.hex}.jpg")


# -- through the pages ---------------------------------------------------------------------------------------


def start_report_at_photos(client, resident):
    client.force_login(resident.user)
    client.post("/repairs/report/")
    token = client.session["repairs:report"]["token"]
    for url, data in [
        ("/repairs/report/where/", {"where": "kitchen"}),
        ("/repairs/report/what/", {"answer": "kitchen"}),
        ("/repairs/report/problem/", {"answer": "worktop"}),
        ("/repairs/report/describe/", {"description": "Burn mark on the worktop"}),
    ]:
        client.post(url, {"token": token, **data})
    return token


def test_photos_added_while_reporting_go_with_the_repair_without_their_location(client, tenant):
    token = start_report_at_photos(client, tenant)
    uploaded = client.post(
        "/repairs/report/photos/", {"token": token, "upload": "", "photos": [picture(gps=True)]}
    )
    assert uploaded.url == "/repairs/report/photos/"
    page = client.get("/repairs/report/photos/").content.decode()
    photo = RepairPhoto.objects.get()
    assert f"/repairs/photos/{photo.public_id}/" in page
    client.post("/repairs/report/photos/", {"token": token, "submit": ""})
    client.post("/repairs/report/access/", {"token": token, "contact_phone": "07700 900123"})
    client.post("/repairs/report/check/", {"token": token})

    photo.refresh_from_db()
    assert photo.repair is not None
    response = client.get(f"/repairs/photos/{photo.public_id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    data = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}


def test_a_disguised_text_file_is_refused_on_the_page_with_an_error(client, tenant):
    token = start_report_at_photos(client, tenant)
    fake = SimpleUploadedFile("photo.jpg", b"hello, I am text", content_type="image/jpeg")
    page = client.post("/repairs/report/photos/", {"token": token, "upload": "", "photos": [fake]})
    assert page.status_code == 200
    assert "photo.jpg must be a JPEG, PNG or HEIC photo" in page.content.decode()
    assert "There is a problem" in page.content.decode()
    assert not RepairPhoto.objects.exists()


def test_a_photo_can_be_removed_before_the_report_is_sent(client, tenant):
    token = start_report_at_photos(client, tenant)
    client.post("/repairs/report/photos/", {"token": token, "upload": "", "photos": [picture()]})
    photo = RepairPhoto.objects.get()
    client.post(f"/repairs/report/photos/{photo.public_id}/remove/")
    assert not RepairPhoto.objects.exists()


def test_a_resident_cannot_see_another_residents_photo(client, tenant):
    neighbour = resident_in(home_in_block())
    (photo,) = services.add_photos(resident=neighbour, token=uuid.uuid4(), uploads=[picture()])
    client.force_login(tenant.user)
    assert client.get(f"/repairs/photos/{photo.public_id}/").status_code == 404
    assert client.get(f"/repairs/photos/{uuid.uuid4()}/").status_code == 404


def test_a_resident_cannot_see_another_residents_repair(client, tenant):
    neighbour = resident_in(home_in_block())
    theirs = report(neighbour)
    client.force_login(tenant.user)
    for url in ["", "reported/", "appointment/", "satisfaction/", "appointment/cancel/"]:
        assert client.get(f"/repairs/{theirs.case.reference}/{url}").status_code == 404, url


def test_staff_can_see_a_repairs_photos_and_the_viewing_is_audited(client, tenant, repairs_officer):
    token = uuid.uuid4()
    (photo,) = services.add_photos(resident=tenant, token=token, uploads=[picture()])
    report(tenant, token=token)
    client.force_login(repairs_officer.user)
    assert client.get(f"/staff/repairs/photos/{photo.public_id}/").status_code == 200
    assert tenant.audit_entries.filter(subject__endswith="photo").exists()
    client.force_login(tenant.user)
    assert client.get(f"/staff/repairs/photos/{photo.public_id}/").status_code == 403


def test_photos_from_reports_never_sent_are_forgotten(tenant, time_machine):
    time_machine.move_to("2026-11-27 10:00+00:00", tick=False)
    (photo,) = services.add_photos(resident=tenant, token=uuid.uuid4(), uploads=[picture()])
    storage, name = photo.image.storage, photo.image.name
    assert services.delete_abandoned_photos() == 0
    time_machine.shift(60 * 60 * 24 * 3)
    assert services.delete_abandoned_photos() == 1
    assert not storage.exists(name)
