"""An invitation is claimed once, even when two accepts read it before either has written.

A double click, two tabs or a retried request can each pass the "is this invitation still
open?" read before the other one commits; only the conditional claim (`accepted_at` still
empty) keeps the second from using it again. The accepting user always has the invited address.
"""

import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from communities import services
from communities.models import Invitation, Role
from tests.factories import make_user
from tests.support import require_services

INVITED = "relawan@example.id"


@pytest.fixture
def invited(world):
    invitation, token = services.invitation_create(
        community=world.kim_a, actor=world.a_admin, email=INVITED, role="editor"
    )
    return invitation, token, make_user(INVITED)


@pytest.mark.django_db
def test_a_second_accept_with_a_stale_read_is_refused(world, invited):
    invitation, token, user = invited
    stale = services.invitation_lookup(token)  # read before the first accept wrote anything
    assert stale is not None
    services.invitation_accept(token=token, user=user)
    first = Invitation.objects.get(pk=invitation.pk)
    assert first.accepted_by == user and first.accepted_at is not None

    # The second request's read happened before the first one's write: it still sees it open.
    with (
        mock.patch.object(services, "invitation_lookup", return_value=stale),
        pytest.raises(ValidationError) as refused,
    ):
        services.invitation_accept(token=token, user=user)
    assert "tidak berlaku lagi" in refused.value.messages[0]

    assert Role.objects.filter(community=world.kim_a, user=user).count() == 1
    again = Invitation.objects.get(pk=invitation.pk)
    assert (again.accepted_at, again.accepted_by) == (first.accepted_at, first.accepted_by)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_on_postgresql_claim_once(world, invited):
    """Two real transactions, both past the read before either claims (PostgreSQL only: the
    second claim waits for the first to commit and must then find the invitation taken)."""
    require_services(postgresql=True)  # row locks
    invitation, token, user = invited
    both_read = threading.Barrier(2, timeout=20)
    real_lookup = services.invitation_lookup

    def lookup_then_wait(value):
        found = real_lookup(value)
        both_read.wait()
        return found

    outcomes: list[str] = []

    def accept():
        try:
            services.invitation_accept(token=token, user=user)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    with mock.patch.object(services, "invitation_lookup", side_effect=lookup_then_wait):
        threads = [threading.Thread(target=accept) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(outcomes) == ["accepted", "refused"]
    assert Role.objects.filter(community=world.kim_a, user=user).count() == 1
    assert Invitation.objects.get(pk=invitation.pk).accepted_by == user
