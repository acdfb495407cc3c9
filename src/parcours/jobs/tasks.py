"""The single task the queue knows: run one recorded job (see ``services``)."""

from django_tasks import task


@task()
def run_job(job_id: str) -> str:
    from parcours.jobs.services import run_now

    return run_now(job_id).status
