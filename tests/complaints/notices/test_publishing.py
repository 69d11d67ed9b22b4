"""Publishing a decision's notice from the officer side, and withdrawing it: the preview, who may
do it (the Monitoring Officer and deputy, on cases they may see), the events on the case, and
the register then showing or no longer showing it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from complaints import roles
from complaints.models import (
    ConflictOfInterest,
    Decision,
    DecisionNotice,
    Document,
    Event,
    EventKind,
    OfficerProfile,
    Outcome,
)
from tests.complaints.notices.conftest import SECRET_NAME, make_decision
from tests.complaints.officer.signin import sign_in

pytestmark = pytest.mark.django_db


def url(decision, action: str = "") -> str:
    base = f"/officer/cases/{decision.case.reference}/decisions/{decision.public_id}/notice/"
    return base + (f"{action}/" if action else "")


def digest_on_page(client, decision) -> str:
    html = client.get(url(decision)).content.decode()
    start = html.index('name="digest" value="') + len('name="digest" value="')
    return html[start : start + 64]


def publish(client, decision):
    return client.post(url(decision, "publish"), {"digest": digest_on_page(client, decision)})


def events(case, kind) -> list[Event]:
    return list(Event.objects.filter(case=case, kind=kind))


def test_the_preview_shows_what_will_be_public_and_why_the_councillor_is_not_named(client, world, northmoor):
    decision = make_decision(northmoor, world["users"]["mo"], outcome=Outcome.NO_BREACH)
    sign_in(client, world["users"]["mo"])

    response = client.get(url(decision))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview: exactly what the public register will show" in html
    assert "a member of Northmoor District Council" in html
    assert "this decision found no breach, so the councillor is not named" in html
    assert "Northmoor District Council&#x27;s setting" in html
    assert SECRET_NAME not in html
    assert "Not published" in html
    assert not DecisionNotice.objects.filter(decision=decision, published_at__isnull=False).exists()


def test_the_preview_of_a_parish_case_says_it_follows_the_principal_councils_setting(client, world, parish_case):
    decision = make_decision(parish_case, world["users"]["mo"], outcome=Outcome.BREACH, reasons="Rude.")
    sign_in(client, world["users"]["mo"])

    html = client.get(url(decision)).content.decode()

    assert "Ashby Lane Parish Council follows the setting of its principal council, Northmoor District Council" in html
    assert "Councillor Pat Quigley" in html


def test_the_monitoring_officer_publishes_and_the_case_records_it(client, world, northmoor):
    mo = world["users"]["mo"]
    decision = make_decision(northmoor, mo)
    sign_in(client, mo)

    response = publish(client, decision)

    assert response.status_code == 302
    notice = DecisionNotice.objects.get(decision=decision)
    assert notice.is_public and notice.published_by == mo
    decision.refresh_from_db()
    assert decision.notice_published and decision.notice_published_at == notice.published_at
    [event] = events(northmoor, EventKind.NOTICE_PUBLISHED)
    assert event.actor == mo and event.details["notice"] == str(notice.public_id)
    assert Document.objects.get(pk=notice.document_id).kind == "decision_notice_public"
    assert client.get(f"/decisions/{notice.public_id}/").status_code == 200
    assert str(notice.public_id) in client.get("/decisions/").content.decode()
    assert "View or withdraw" in client.get(f"/officer/cases/{northmoor.reference}/").content.decode()


def test_the_deputy_may_publish_too(client, world, northmoor):
    decision = make_decision(northmoor, world["users"]["mo"])
    sign_in(client, world["users"]["deputy"])
    assert publish(client, decision).status_code == 302
    assert DecisionNotice.objects.get(decision=decision).published_by == world["users"]["deputy"]


def test_it_publishes_nothing_when_the_notice_changed_after_the_preview(client, world, northmoor):
    decision = make_decision(northmoor, world["users"]["mo"])
    sign_in(client, world["users"]["mo"])
    digest = digest_on_page(client, decision)
    Decision.objects.filter(pk=decision.pk).update(reasons="Reasons rewritten by a colleague meanwhile.")

    response = client.post(url(decision, "publish"), {"digest": digest})

    assert response.status_code == 409
    html = response.content.decode()
    assert "The notice changed after you previewed it" in html
    assert "Reasons rewritten by a colleague meanwhile." in html  # the new preview
    assert not DecisionNotice.objects.filter(published_at__isnull=False).exists()
    assert events(northmoor, EventKind.NOTICE_PUBLISHED) == []


def test_publishing_without_the_preview_gets_a_message(client, world, northmoor):
    decision = make_decision(northmoor, world["users"]["mo"])
    sign_in(client, world["users"]["mo"])
    response = client.post(url(decision, "publish"), {"digest": "not a digest"})
    assert response.status_code == 400
    assert "Publish from the preview on this page" in response.content.decode()
    assert not DecisionNotice.objects.filter(published_at__isnull=False).exists()


def test_publishing_asks_for_the_password_or_a_code_again_after_a_while(client, world, northmoor):
    decision = make_decision(northmoor, world["users"]["mo"])
    sign_in(client, world["users"]["mo"], authenticated_ago=24 * 3600)
    response = client.post(url(decision, "publish"), {"digest": "0" * 64})
    assert response.status_code == 302 and "/officer/reauthenticate/" in response["Location"]
    assert not DecisionNotice.objects.filter(published_at__isnull=False).exists()


def test_the_statement_of_the_facts_is_saved_recorded_and_shown_without_complainants_names(client, world, northmoor):
    decision = make_decision(northmoor, world["users"]["mo"], outcome=Outcome.NO_BREACH)
    sign_in(client, world["users"]["mo"])

    response = client.post(
        url(decision, "statement"),
        {"statement": f"{SECRET_NAME} complained on 2 March 2026 about a post by Cllr Jo Bloggs."},
    )

    assert response.status_code == 302
    html = client.get(url(decision)).content.decode()
    assert "[withheld] complained on 2 March 2026 about a post by Cllr [withheld]." in html
    assert [e.description for e in events(northmoor, EventKind.CASE_UPDATED)] == [
        "Statement of the facts for the decision notice saved"
    ]
    publish(client, decision)
    notice = DecisionNotice.objects.get(decision=decision)
    assert notice.content["facts"] == "[withheld] complained on 2 March 2026 about a post by Cllr [withheld]."


def test_a_statement_too_long_is_refused_with_what_was_typed_kept(client, world, northmoor):
    decision = make_decision(northmoor, world["users"]["mo"])
    sign_in(client, world["users"]["mo"])
    response = client.post(url(decision, "statement"), {"statement": "Long words. " * 500})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The statement of the facts must be 5000 characters or fewer" in html
    assert "Long words. Long words." in html


def test_withdrawing_needs_a_reason_then_takes_the_notice_off_the_register(client, world, northmoor):
    mo = world["users"]["mo"]
    decision = make_decision(northmoor, mo)
    sign_in(client, mo)
    publish(client, decision)
    notice = DecisionNotice.objects.get(decision=decision)

    empty = client.post(url(decision, "withdraw"), {"reason": "  "})
    assert empty.status_code == 400
    assert "Enter why the notice is being withdrawn" in empty.content.decode()
    assert client.get(f"/decisions/{notice.public_id}/").status_code == 200

    done = client.post(url(decision, "withdraw"), {"reason": "Published before the parties were told."})

    assert done.status_code == 302
    notice.refresh_from_db()
    assert notice.withdrawn_at and notice.withdrawn_by == mo
    decision.refresh_from_db()
    assert not decision.notice_published and decision.notice_published_at is None
    [event] = events(northmoor, EventKind.NOTICE_WITHDRAWN)
    assert event.actor == mo and event.details["reason"] == "Published before the parties were told."
    assert client.get(f"/decisions/{notice.public_id}/").status_code == 404
    assert client.get(f"/decisions/{notice.public_id}/notice.pdf").status_code == 404
    assert str(notice.public_id) not in client.get("/decisions/").content.decode()
    html = client.get(url(decision)).content.decode()
    assert "Withdrawn" in html and "Published before the parties were told." in html

    # Published again later: back on the register, at the same address.
    assert publish(client, decision).status_code == 302
    assert client.get(f"/decisions/{notice.public_id}/").status_code == 200
    assert len(events(northmoor, EventKind.NOTICE_PUBLISHED)) == 2


@pytest.mark.parametrize("role", ["case_officer", "independent_person"])
def test_roles_without_the_right_to_decide_are_refused(client, world, northmoor, role):
    decision = make_decision(northmoor, world["users"]["mo"])
    sign_in(client, world["users"]["mo"])
    digest = digest_on_page(client, decision)
    sign_in(client, world["users"][role])

    assert client.get(url(decision)).status_code == 403
    assert client.post(url(decision, "publish"), {"digest": digest}).status_code == 403
    assert client.post(url(decision, "statement"), {"statement": "Mine."}).status_code == 403
    assert not DecisionNotice.objects.filter(published_at__isnull=False).exists()
    assert events(northmoor, EventKind.NOTICE_PUBLISHED) == []


def test_a_published_notice_cannot_be_withdrawn_by_a_role_without_the_right_to_decide(client, world, northmoor):
    decision = make_decision(northmoor, world["users"]["mo"])
    sign_in(client, world["users"]["mo"])
    publish(client, decision)
    sign_in(client, world["users"]["case_officer"])
    assert client.post(url(decision, "withdraw"), {"reason": "Because."}).status_code == 403
    assert DecisionNotice.objects.get(decision=decision).is_public


def _monitoring_officer_of(council, username: str) -> User:
    user = User.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get(name=roles.MONITORING_OFFICER))
    OfficerProfile.objects.create(user=user, authority=council)
    return user


def test_users_who_may_not_see_the_case_get_404(client, world, northmoor):
    decision = make_decision(northmoor, world["users"]["mo"])
    sign_in(client, world["users"]["mo"])
    digest = digest_on_page(client, decision)
    other_mo = _monitoring_officer_of(world["councils"]["southshire"], "southshire_mo")
    ConflictOfInterest.objects.create(
        case=northmoor, officer=world["users"]["deputy"], reason="Friend", declared_at=northmoor.opened_at
    )

    for user in (other_mo, world["users"]["deputy"]):
        sign_in(client, user)
        assert client.get(url(decision)).status_code == 404
        assert client.post(url(decision, "publish"), {"digest": digest}).status_code == 404
        assert client.post(url(decision, "withdraw"), {"reason": "x"}).status_code == 404
    assert not DecisionNotice.objects.filter(published_at__isnull=False).exists()


def test_a_decision_of_another_case_answers_404(client, world, northmoor):
    decision = make_decision(northmoor, world["users"]["mo"])
    sign_in(client, world["users"]["mo"])
    parish = world["cases"]["parish"]
    assert client.get(f"/officer/cases/{parish.reference}/decisions/{decision.public_id}/notice/").status_code == 404


def test_the_case_page_links_each_decision_to_its_notice(client, world, northmoor):
    decision = make_decision(northmoor, world["users"]["mo"])
    sign_in(client, world["users"]["mo"])
    html = client.get(f"/officer/cases/{northmoor.reference}/").content.decode()
    assert url(decision) in html and "Preview and publish" in html
    sign_in(client, world["users"]["case_officer"])
    html = client.get(f"/officer/cases/{northmoor.reference}/").content.decode()
    assert "Not published" in html and url(decision) not in html


def test_the_case_page_reads_its_decisions_notices_in_a_fixed_number_of_queries(client, world, northmoor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mo = world["users"]["mo"]
    make_decision(northmoor, mo)
    sign_in(client, mo)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/officer/cases/{northmoor.reference}/").status_code == 200
        return len(captured)

    one = queries()
    for outcome in (Outcome.NO_BREACH, Outcome.BREACH, Outcome.NO_FURTHER_ACTION):
        publish(client, make_decision(northmoor, mo, outcome=outcome))
    assert queries() == one
