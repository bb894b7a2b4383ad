"""When and what to break: every service killed with SIGKILL a few times and started again, the
Kafka broker restarted once and PostgreSQL once. Moments are counted in invoices sent (seeded),
so every fault strikes while the load flows, whatever the machine's speed. A watchdog starts a
service again if it exits on its own, as a supervisor would, and the report counts it."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from typing import Literal

from chaos.generator import Sent
from chaos.infra import Infra
from chaos.platform import Platform
from servicekit.registry import service_names

FaultKind = Literal["kill", "restart"]
BROKER, DATABASE = "kafka", "postgresql"
WATCH_EVERY_SECONDS = 0.5


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    target: str  # a service name, BROKER or DATABASE
    at_invoices: int  # strikes once this many invoices were sent
    down_seconds: float  # how long a killed service stays down


@dataclass(frozen=True)
class Struck:
    fault: Fault
    at_seconds: float  # since the load started
    invoices_sent: int
    detail: str


@dataclass
class FaultLog:
    struck: list[Struck] = field(default_factory=list)
    self_exits: list[str] = field(default_factory=list)


def fault_plan(seed: int, invoices: int, kills_per_service: int) -> list[Fault]:
    rng = random.Random(f"faults-{seed}")
    early, late = max(1, invoices // 20), max(2, invoices * 9 // 10)
    faults = [
        Fault("kill", name, rng.randint(early, late), round(rng.uniform(0.2, 3.0), 1))
        for name in service_names()
        for _ in range(kills_per_service)
    ]
    faults.append(Fault("restart", BROKER, rng.randint(invoices // 4, invoices * 3 // 5), 0))
    faults.append(Fault("restart", DATABASE, rng.randint(invoices // 4, invoices * 4 // 5), 0))
    return sorted(faults, key=lambda fault: fault.at_invoices)


@dataclass
class FaultInjector:
    faults: list[Fault]
    platform: Platform
    infra: Infra
    sent: Sent
    started_at: float
    log: FaultLog = field(default_factory=FaultLog)
    _held_down: set[str] = field(default_factory=set)

    async def run(self) -> None:
        for fault in self.faults:
            while len(self.sent.invoices) < fault.at_invoices:
                self.sent.progress.clear()
                await self.sent.progress.wait()
            detail = await self._strike(fault)
            self.log.struck.append(Struck(fault, self._elapsed(), len(self.sent.invoices), detail))
            print(f"chaos: {self._elapsed():7.1f}s  {fault.target:<17} {detail}", flush=True)

    async def _strike(self, fault: Fault) -> str:
        if fault.target == BROKER:
            seconds = await self.infra.restart_kafka()
            return f"broker restarted (stopped and started on its data) in {seconds:.1f}s"
        if fault.target == DATABASE:
            seconds = await self.infra.restart_postgres()
            return f"server restarted (fast shutdown, sessions cut) in {seconds:.1f}s"
        service = self.platform.services[fault.target]
        self._held_down.add(service.name)
        try:
            pid = service.kill()
            await service.wait_exited()
            await asyncio.sleep(fault.down_seconds)
            await service.start()
        finally:
            self._held_down.discard(service.name)
        return f"kill -9 pid {pid}, down {fault.down_seconds:.1f}s, started again"

    async def watch(self) -> None:
        """Until cancelled: a service that exited without being killed is started again."""
        while True:
            for service in self.platform.services.values():
                if service.name in self._held_down or service.alive:
                    continue
                assert service.process is not None
                code = service.process.process.returncode
                self.log.self_exits.append(f"{self._elapsed():.1f}s {service.name} exit {code}")
                print(
                    f"chaos: {self._elapsed():7.1f}s  {service.name:<17} exited by itself "
                    f"({code}), started again",
                    flush=True,
                )
                await service.restart_after_exit()
            await asyncio.sleep(WATCH_EVERY_SECONDS)

    def _elapsed(self) -> float:
        return asyncio.get_running_loop().time() - self.started_at
