"""Celery tasks of the guidance app. Imports are long work: they run on the "documents" queue."""

from celery import shared_task


@shared_task(name="guidance.tasks.guidance_import", ignore_result=True)
def guidance_import(data_dir: str | None = None) -> dict:
    """Load codes of conduct and guidance from YAML (as `manage.py load_guidance` does)."""
    from guidance.services import guidance_load

    return guidance_load(data_dir=data_dir)
