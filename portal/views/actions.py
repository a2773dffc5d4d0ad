"""The two shapes of a page that asks a service to do something: a form, and a button.

Either way the service may refuse (portal.services.refusals.Refused): the person sees its reason,
on the form, next to the answer it is about or at the top, keeping what they typed; or as an error
message on the page they go back to."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.db import IntegrityError
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect

from portal.services.refusals import Refused

# Where to go next: whatever redirect() takes on its own (a URL or path, a view name that needs no
# arguments, a model with get_absolute_url).
Destination = str | Model


def submit_form(
    request: HttpRequest,
    form: BaseForm,
    action: Callable[[Mapping[str, Any]], str | tuple[str, Destination]],
    *,
    success_url: Destination | None = None,
    made: type[Model] | QuerySet | None = None,
) -> HttpResponseRedirect | None:
    """Run `action` on the cleaned data of a valid POSTed form.

    It returns the success message, or the message and where to go when that depends on what it
    did (otherwise `success_url`): the message is flashed and the redirect returned. On a refusal
    the reason goes next to the answer it names (its `field`), or at the top of the form when it
    names none the form has; the form keeps what was typed, and None is returned, as for a GET or
    an invalid form: the caller renders its page with the form.

    `made`: for a form that makes one row per `submission_token`, that row's model (or the rows
    to look in). Sent twice at once, the second fails on the token's unique constraint; it then
    goes to `success_url`, where the first one went, without saying it again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        outcome = action(form.cleaned_data)
    except Refused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
        return None
    except IntegrityError:
        if success_url is None or not _made_before(made, form.cleaned_data.get("submission_token")):
            raise
        return redirect(success_url)
    message, destination = outcome if isinstance(outcome, tuple) else (outcome, success_url)
    messages.success(request, message)
    return redirect(destination)


def carry_out(
    request: HttpRequest, action: Callable[[], str], *, then: Destination
) -> HttpResponseRedirect:
    """For a button that POSTs: run `action` and flash the success message it returns, or its
    refusal as an error; either way go to `then`."""
    try:
        message = action()
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, message)
    return redirect(then)


def _made_before(made: type[Model] | QuerySet | None, token: Any) -> bool:
    if made is None or not token:
        return False
    rows = made if isinstance(made, QuerySet) else made._default_manager.all()
    return rows.filter(submission_token=token).exists()
