from django.conf import settings


def council(request):
    """The council's name and service name for the page shell."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.COUNCIL_SERVICE_NAME,
        "phase": settings.COUNCIL_PHASE,
        "council_contact_email": settings.COUNCIL_CONTACT_EMAIL,
        "council_contact_phone": settings.COUNCIL_TELEPHONE,
        "council_contact_address": ", ".join(["Monitoring Officer", settings.COUNCIL_NAME, *settings.COUNCIL_ADDRESS]),
    }
