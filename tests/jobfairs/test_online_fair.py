"""An online job fair (直播带岗): the stream page a registrant opens through their join link shows the
fair's employers and positions, each linking to its booth's consent form; other online events show none."""
from __future__ import annotations

from app.registrations.join_links import join_token


def test_the_join_page_of_an_online_job_fair_lists_its_positions(client, db_session, live_online_event,
                                                                   create_registration, create_organisation):
    from app.jobfairs import fairs

    event = live_online_event(kind="job_fair", format="online", title="直播带岗·秋季专场")
    booth = fairs.add_employer(event.test_organiser, event, create_organisation(name="上海闵联智能科技有限公司"), "L01")
    fairs.add_position(event.test_organiser, booth, title="嵌入式软件工程师", openings=4, education="bachelor")
    db_session.commit()
    page = client.get(f"/online/j/{join_token(create_registration(event))}")
    assert page.status_code == 200
    assert "嵌入式软件工程师" in page.text and "上海闵联智能科技有限公司" in page.text
    assert f"/jobfairs/b/{booth.booth_code}" in page.text


def test_an_online_event_without_booths_shows_no_positions(client, live_online_event, create_registration):
    page = client.get(f"/online/j/{join_token(create_registration(live_online_event()))}")
    assert page.status_code == 200
    assert "beside-stream" in page.text and "嵌入式软件工程师" not in page.text
