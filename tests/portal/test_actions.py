"""The two ways a page asks a service to act (portal.views.actions): a form and a button. A
refusal reaches the person in words; anything else the service raises is not hidden."""

import uuid

import pytest
from django import forms
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from engagement.plans.models import NeighbourhoodPlan
from portal.services.refusals import Refused
from portal.views.actions import carry_out, submit_form
from tests.plans.factories import PlanFactory


class HeightForm(forms.Form):
    name = forms.CharField()
    height = forms.IntegerField()


class TooTall(Refused):
    pass


def a_request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/staff/anything/", data or {})
    request._messages = CookieStorage(request)
    return request


def flashed(request):
    return [(m.level, m.message) for m in get_messages(request)]


def measure(data):
    if data["height"] > 200:
        raise TooTall("Nobody on the estate is that tall: check the height")
    return f"{data['name']} is {data['height']}cm."


# -- a form ---------------------------------------------------------------------------------------


def test_a_valid_form_runs_the_service_flashes_its_message_and_redirects():
    request = a_request(data={"name": "Ada", "height": "170"})
    form = HeightForm(request.POST)

    response = submit_form(request, form, measure, success_url="/staff/heights/")

    assert response.status_code == 302 and response.url == "/staff/heights/"
    assert flashed(request) == [(constants.SUCCESS, "Ada is 170cm.")]


def test_the_service_can_say_where_to_go_when_that_depends_on_what_it_did():
    request = a_request(data={"name": "Ada", "height": "170"})

    response = submit_form(
        request,
        HeightForm(request.POST),
        lambda data: ("Saved.", f"/staff/people/{data['name']}/"),
        success_url="/staff/heights/",
    )

    assert response.url == "/staff/people/Ada/"
    assert flashed(request) == [(constants.SUCCESS, "Saved.")]


def test_a_refusal_is_shown_on_the_form_keeping_what_was_typed():
    request = a_request(data={"name": "Ada", "height": "250"})
    form = HeightForm(request.POST)

    response = submit_form(request, form, measure, success_url="/staff/heights/")

    assert response is None
    assert form.non_field_errors() == ["Nobody on the estate is that tall: check the height"]
    assert form["name"].value() == "Ada" and form["height"].value() == "250"
    assert flashed(request) == []


def test_a_refusal_about_one_answer_is_shown_next_to_it():
    request = a_request(data={"name": "Ada", "height": "250"})
    form = HeightForm(request.POST)

    def refuse(data):
        raise TooTall("Nobody on the estate is that tall: check the height", field="height")

    assert submit_form(request, form, refuse, success_url="/staff/heights/") is None
    assert form.errors["height"] == ["Nobody on the estate is that tall: check the height"]
    assert form.non_field_errors() == []
    assert form["height"].value() == "250"


def test_a_refusal_about_an_answer_the_form_does_not_ask_goes_at_the_top():
    request = a_request(data={"name": "Ada", "height": "170"})
    form = HeightForm(request.POST)

    def refuse(data):
        raise TooTall("Ada has moved away", field="tenancy")

    assert submit_form(request, form, refuse, success_url="/staff/heights/") is None
    assert form.non_field_errors() == ["Ada has moved away"]
    assert set(form.errors) == {"__all__"}


def test_a_refusal_is_its_reason_and_may_name_an_answer():
    class Misheard(Refused, ValueError):
        pass

    assert str(TooTall("Too tall")) == "Too tall" and TooTall("Too tall").field is None
    about_height = Misheard("Say the height in centimetres", field="height")
    assert str(about_height) == "Say the height in centimetres"
    assert about_height.field == "height" and isinstance(about_height, ValueError)


def test_an_invalid_form_does_not_reach_the_service():
    called = []
    request = a_request(data={"name": "Ada", "height": "tall"})
    form = HeightForm(request.POST)

    assert submit_form(request, form, called.append, success_url="/staff/heights/") is None
    assert called == [] and "height" in form.errors


def test_a_get_renders_the_page_without_running_anything():
    called = []
    request = a_request("get")
    form = HeightForm()

    assert submit_form(request, form, called.append, success_url="/staff/heights/") is None
    assert called == [] and not form.errors


def test_an_error_that_is_not_a_refusal_is_not_swallowed():
    request = a_request(data={"name": "Ada", "height": "170"})

    def broken(data):
        raise ValueError("a bug, not a reason for the person")

    with pytest.raises(ValueError):
        submit_form(request, HeightForm(request.POST), broken, success_url="/staff/heights/")
    assert flashed(request) == []


class PlanTitleForm(forms.Form):
    title = forms.CharField()
    submission_token = forms.UUIDField()


def make_plan(data):
    # Its own transaction, as a service's is: the clash rolls back only this.
    with transaction.atomic():
        PlanFactory(title=data["title"], submission_token=data["submission_token"])
    return "The plan is saved."


def submit_plan(token, action, **options):
    request = a_request(data={"title": "Oak Estate plan", "submission_token": token})
    return request, submit_form(
        request, PlanTitleForm(request.POST), action, success_url="/staff/plans/", **options
    )


@pytest.mark.django_db
def test_the_same_form_sent_twice_goes_where_the_first_went():
    token = uuid.uuid4()
    submit_plan(token, make_plan, made=NeighbourhoodPlan)

    again, response = submit_plan(token, make_plan, made=NeighbourhoodPlan)

    assert response.url == "/staff/plans/"
    assert NeighbourhoodPlan.objects.filter(submission_token=token).count() == 1
    assert flashed(again) == []  # the first one said it was saved


@pytest.mark.django_db
def test_a_clash_that_is_not_a_repeated_submission_is_not_swallowed():
    def clash(data):
        raise IntegrityError("another unique constraint")

    def make_plan_twice(data):
        make_plan(data)
        return make_plan(data)

    with pytest.raises(IntegrityError):  # nothing was made with this token
        submit_plan(uuid.uuid4(), clash, made=NeighbourhoodPlan)
    with pytest.raises(IntegrityError):  # no `made`: nothing to look in
        submit_plan(uuid.uuid4(), make_plan_twice)


# -- a button -------------------------------------------------------------------------------------


def test_a_button_flashes_the_services_message_and_redirects():
    request = a_request()

    response = carry_out(request, lambda: "The meeting is cancelled.", then="/staff/meetings/1/")

    assert response.status_code == 302 and response.url == "/staff/meetings/1/"
    assert flashed(request) == [(constants.SUCCESS, "The meeting is cancelled.")]


def test_a_refused_button_flashes_the_reason_as_an_error_and_redirects():
    request = a_request()

    def refuse():
        raise TooTall("The meeting has already happened")

    response = carry_out(request, refuse, then="/staff/meetings/1/")

    assert response.url == "/staff/meetings/1/"
    assert flashed(request) == [(constants.ERROR, "The meeting has already happened")]


def test_a_button_does_not_swallow_an_error_that_is_not_a_refusal():
    request = a_request()

    def broken():
        raise KeyError("meeting")

    with pytest.raises(KeyError):
        carry_out(request, broken, then="/staff/meetings/1/")
    assert flashed(request) == []


def test_every_apps_refusal_is_a_refusal():
    from charter.satisfaction.services import SurveyError
    from charter.services import CharterError
    from complaints.services import ComplaintError
    from engagement.asb.services import AsbError
    from engagement.neighbourhoods.services import NeighbourhoodError
    from engagement.news.services import NewsError
    from engagement.plans.services import PlanError
    from engagement.services import EngagementError
    from repairs.services import RepairError, RepairNotAllowed

    for refusal in (
        SurveyError,
        CharterError,
        ComplaintError,
        AsbError,
        NeighbourhoodError,
        NewsError,
        PlanError,
        EngagementError,
        RepairError,
        RepairNotAllowed,
    ):
        assert issubclass(refusal, Refused), refusal
    # Callers that open cases from other apps catch these two as ValueError.
    assert issubclass(RepairError, ValueError) and issubclass(NeighbourhoodError, ValueError)
