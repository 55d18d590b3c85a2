import pytest
from waardig import demo
from waardig.monitor.indicators import load_indicators
from waardig.housing.demo import DEMO_DAY
from waardig.housing.models import Location, HeadCount, GuestStay
from waardig.compliance import scans
from waardig.compliance.models import Signal, Finding
from waardig.core.access import SYSTEM
from collections import Counter
import time

pytestmark = pytest.mark.django_db

def test_explore(areas):
    load_indicators()
    t = time.time()
    demo.load()
    print("load", time.time() - t)
    for loc in Location.objects.order_by("municipality__code"):
        hc = HeadCount.objects.filter(location=loc, counted_on=DEMO_DAY).first()
        print(loc.municipality.code, loc.name, loc.status, loc.capacity, hc and hc.persons)
    t = time.time()
    run = scans.start(DEMO_DAY, SYSTEM)
    scans.run(run)
    print("scan", time.time() - t)
    print(run.counts)
    for s in Signal.objects.all():
        print(s.kind, s.municipality.code, s.score, s.explanation)
    for f in Finding.objects.select_related("check_run__location"):
        print(f.check_run.location.name, f.norm_set_name, f.kind, f.explanation)
