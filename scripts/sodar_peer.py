"""SODAR Core's own cache API as a benchmark peer (see scripts/bench-sodar-peer.sh).

    sodar_peer.py site DIR       writes a minimal Django site into DIR (settings, a SODARUser
                                 model in an app labelled `users`, empty apps named like SODAR's
                                 cache writers so that their app names pass SODAR's check)
    sodar_peer.py setup          makes the users app's migration, migrates, adds user `bench`
    sodar_peer.py serve          reads timing requests on stdin, answers on stdout

Run `setup` and `serve` with PYTHONPATH=DIR, DJANGO_SETTINGS_MODULE=benchsite.settings and
SODAR_PEER_URI=<libpq URI of the database>.

`serve` reads blocks: a line `set N` or `get N`, then N tab-separated lines
`project-uuid app name [payload]`. It resolves the projects (all loaded once at start, as an
app holds its Project object) and decodes the payloads before the clock starts, then times N
calls of `set_cache_item(app, name, data, project=..., user=bench)` or
`get_cache_item(app, name, project)` and answers `SECONDS FOUND`.
"""

import json
import os
import sys
import time
from urllib.parse import parse_qs, urlparse

# The app names sodarcache's benchmarks write (StoreBench.apps): SODAR's API accepts an app
# name only when an installed app's module path gives it.
APPS = [
    'samplesheets',
    'samplesheets.assayapps.cytof',
    'samplesheets.assayapps.dna_sequencing',
    'samplesheets.studyapps.germline',
]

SETTINGS = '''\
import os
from urllib.parse import parse_qs, urlparse

SECRET_KEY = 'sodarcache-bench-peer-not-secret'
DEBUG = False
SITE_PACKAGE = 'benchsite'
ALLOWED_HOSTS = []
USE_TZ = True
TIME_ZONE = 'UTC'
DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'
AUTH_USER_MODEL = 'users.User'
ENABLED_BACKEND_PLUGINS = ['sodar_cache']
INSTALLED_APPS = [
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'djangoplugins',
    'rules.apps.AutodiscoverRulesConfig',
    'axes',
    'users.apps.UsersConfig',
    'projectroles.apps.ProjectrolesConfig',
    'sodarcache.apps.SodarcacheConfig',
] + [app + '.apps.Config' for app in %(apps)r]

_uri = urlparse(os.environ['SODAR_PEER_URI'])
_query = {k: v[-1] for k, v in parse_qs(_uri.query).items()}
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': _uri.path.lstrip('/') or _query.get('dbname', 'postgres'),
        'USER': _uri.username or _query.get('user', ''),
        'PASSWORD': _uri.password or _query.get('password', ''),
        'HOST': _uri.hostname or _query.get('host', ''),
        'PORT': str(_uri.port or _query.get('port', '')),
    }
}
'''

USER_MODEL = '''\
from projectroles.models import SODARUser


class User(SODARUser):
    pass
'''

USERS_APP = '''\
from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = 'users'
'''

STUB_APP = '''\
from django.apps import AppConfig


class Config(AppConfig):
    name = %r
    label = %r
'''


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)


def site(directory):
    write(os.path.join(directory, 'benchsite', '__init__.py'), '')
    write(os.path.join(directory, 'benchsite', 'settings.py'), SETTINGS % {'apps': APPS})
    write(os.path.join(directory, 'users', '__init__.py'), '')
    write(os.path.join(directory, 'users', 'apps.py'), USERS_APP)
    write(os.path.join(directory, 'users', 'models.py'), USER_MODEL)
    write(os.path.join(directory, 'users', 'migrations', '__init__.py'), '')
    for app in APPS:
        parts = app.split('.')
        for i in range(1, len(parts) + 1):
            init = os.path.join(directory, *parts[:i], '__init__.py')
            if not os.path.exists(init):
                write(init, '')
        write(os.path.join(directory, *parts, 'apps.py'), STUB_APP % (app, app.replace('.', '_')))


def django_setup():
    import django

    django.setup()


def setup():
    django_setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command('makemigrations', 'users', verbosity=0)
    call_command('migrate', verbosity=0)
    User = get_user_model()
    if not User.objects.filter(username='bench').exists():
        User.objects.create_user(username='bench', name='Bench User')
    import django

    import projectroles

    print(f'Django {django.get_version()}, SODAR Core {projectroles.__version__}')


def serve():
    django_setup()
    from django.contrib.auth import get_user_model
    from projectroles.models import Project
    from projectroles.plugins import PluginAPI

    cache = PluginAPI().get_backend_api('sodar_cache')
    if cache is None:
        sys.exit('sodar_peer: get_backend_api("sodar_cache") returned None')
    user = get_user_model().objects.get(username='bench')
    projects = {str(p.sodar_uuid): p for p in Project.objects.all()}
    out = sys.stdout
    out.write('ready %d projects\n' % len(projects))
    out.flush()
    for line in sys.stdin:
        op, count = line.split()
        rows = [sys.stdin.readline().rstrip('\n').split('\t') for _ in range(int(count))]
        found = 0
        if op == 'set':
            calls = [(r[1], r[2], json.loads(r[3]), projects[r[0]]) for r in rows]
            start = time.perf_counter()
            for app, name, data, project in calls:
                cache.set_cache_item(app, name, data, project=project, user=user)
            elapsed = time.perf_counter() - start
            found = len(calls)
        elif op == 'get':
            calls = [(r[1], r[2], projects[r[0]]) for r in rows]
            start = time.perf_counter()
            for app, name, project in calls:
                if cache.get_cache_item(app, name, project) is not None:
                    found += 1
            elapsed = time.perf_counter() - start
        else:
            sys.exit('sodar_peer: unknown request ' + op)
        out.write('%.6f %d\n' % (elapsed, found))
        out.flush()


if __name__ == '__main__':
    command = sys.argv[1] if len(sys.argv) > 1 else ''
    if command == 'site' and len(sys.argv) == 3:
        site(sys.argv[2])
    elif command == 'setup':
        setup()
    elif command == 'serve':
        serve()
    else:
        sys.exit(__doc__)
