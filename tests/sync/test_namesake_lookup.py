"""Looking up a page of namesakes through the host: batched when the host can, one name at a time when not."""

from __future__ import annotations

from collections.abc import Collection

from onecrm_finance_qb.sync.handlers.records import lookup_each


class _OneAtATime:
    """A host repository from before the batched lookups."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def find_by_name(self, name: str) -> tuple[str, ...]:
        self.asked.append(name)
        return (f'record of {name}',) if name.startswith('A') else ()


class _Batched(_OneAtATime):
    def find_by_names(self, names: Collection[str]) -> dict[str, tuple[str, ...]]:
        self.asked.append(','.join(sorted(names)))
        return {name: (f'record of {name}',) for name in names if name.startswith('A')}


def test_a_host_with_the_batched_lookup_is_asked_once():
    repository = _Batched()

    found = lookup_each(repository, 'find_by_name', ['Acme', 'Globex', 'Apex'])

    assert found == {'Acme': ('record of Acme',), 'Apex': ('record of Apex',)}
    assert repository.asked == ['Acme,Apex,Globex']


def test_a_host_without_it_is_asked_name_by_name_with_the_same_answer():
    repository = _OneAtATime()

    found = lookup_each(repository, 'find_by_name', ['Acme', 'Globex', 'Apex'])

    assert found == {'Acme': ('record of Acme',), 'Apex': ('record of Apex',)}
    assert repository.asked == ['Acme', 'Globex', 'Apex']
