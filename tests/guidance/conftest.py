import pytest

from complaints.models import Authority
from guidance.models import CodeOfConduct
from guidance.services import guidance_load


@pytest.fixture
def loaded(db):
    """The shipped model code and guidance, loaded as `manage.py load_guidance` would."""
    return guidance_load()


@pytest.fixture
def lga_code(loaded):
    return CodeOfConduct.objects.get(slug="lga-model-code-2020")


@pytest.fixture
def district(db):
    return Authority.objects.create(name="Ashford Borough Council", slug="ashford", kind="district")


@pytest.fixture
def parish(district):
    return Authority.objects.create(name="Wye with Hinxhill Parish Council", slug="wye", kind="parish", parent=district)


@pytest.fixture
def other_district(db):
    return Authority.objects.create(name="Chelmsford City Council", slug="chelmsford", kind="city")
