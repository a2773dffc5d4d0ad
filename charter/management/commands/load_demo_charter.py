from django.core.management.base import BaseCommand

from charter import demo


class Command(BaseCommand):
    help = (
        "Load the demo tenant charter (three versions, comments) and a draft customer voice report."
    )

    def handle(self, *args, **options):
        self.stdout.write(demo.load())
