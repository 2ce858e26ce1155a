"""Kernels started by the build's own process, ahead of their step when a core is free.

A step's notebook pays a kernel start and its imports (pandas, matplotlib, the package) before its first
result. The build's process starts each step's kernel (``KernelPool``) and runs that notebook's import
statements in it, silently and outside its history; the step's doit worker attaches to it (``claim``,
``attached_manager``). The kernel of a step starts when the step starts, while its worker loads papermill, or
earlier: while fewer steps run than there are cores (``01_clean`` runs alone; the last analyses end one by
one), the kernels of the steps that come next (those whose upstream steps have all started, in the table's
order) are started ahead, on the core that would otherwise be idle. A kernel the pool could not start is
started by the worker itself, as papermill does.

The kernel is started for one step only, with that step's audit rules (``audit.RULES_ENV``) in its
environment, so the audit hook is installed at its start, before the early imports: whatever the step's
kernel opens, early or not, is checked as before. The early imports are the notebook's own import
statements (they read code, not the study's data); the notebook runs them again, at no cost. Execution counts
are unchanged (the early run is not stored in the history), so error messages name the same ``In [n]``.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import signal
import threading
from pathlib import Path
from typing import Any

from divide_study.build import audit, staging

# How long a worker waits for the kernel the build starts for its step, before starting one itself.
LAUNCH_WAIT = 60.0


def import_statements(notebook: dict[str, Any]) -> str:
    """The top-level ``import`` and ``from ... import`` statements of a notebook's code cells, as one cell."""
    found: list[str] = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse("".join(cell.get("source", "")))
        except SyntaxError:  # IPython syntax (magics): this cell's imports are left to the notebook
            continue
        found += [ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    return "\n".join(dict.fromkeys(found))


# --- the build's process: start kernels ahead -----------------------------------------------------------------


class KernelPool:
    """Starts each step's kernel when it starts, and the next steps' kernels ahead while a core is free.

    ``plans`` maps each step that may run to what its kernel needs: ``env`` (added to the environment),
    ``cwd``, ``log`` (the kernels' stderr), ``code`` (the early imports), ``audit_log`` (removed before the
    start). ``deps`` are the steps each one waits for; ``order`` is the preference among ready steps.
    """

    def __init__(
        self,
        folder: Path,
        plans: dict[str, dict[str, Any]],
        deps: dict[str, set[str]],
        order: list[str],
        cores: int,
    ):
        self.folder, self.plans, self.deps, self.order, self.cores = folder, plans, deps, order, cores
        self.folder.mkdir(parents=True, exist_ok=True)
        self.running: set[str] = set()
        self.ran: set[str] = set()  # ended after running (not skipped, not failed)
        self.done: set[str] = set()  # ended in any way
        self.warming: set[str] = set()
        self.wanted: list[str] = []  # steps that started before the pool was armed
        self.started: dict[str, Any] = {}  # step -> KernelManager
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []
        self.armed = False
        self.closed = False

    def _thread(self, target: Any, *args: Any) -> None:
        thread = threading.Thread(target=_closing_its_loop, args=(target, *args), daemon=True)
        self.threads.append(thread)
        thread.start()

    def arm(self) -> None:
        """Start kernels from now on. doit forks its workers after deciding about the first steps (a step found
        up to date is reported before); a thread of this process must not be mid-way through anything then,
        or a worker inherits its locks held. So the pool only records events until the workers exist."""
        with self.lock:
            self.armed = True
            wanted, self.wanted = self.wanted, []
        for name in wanted:
            self._start_now(name)
        self._next()

    # Called by the build's reporter (doit's main loop) as steps start and end.
    def step_started(self, name: str) -> None:
        with self.lock:
            self.running.add(name)
            if not self.armed:
                self.wanted.append(name)
                return
        self._start_now(name)
        self._next()

    def _start_now(self, name: str) -> None:
        """The kernel of a step that starts: its worker is waiting for it."""
        if name not in self.plans:  # not a step the build planned for: its worker starts its own kernel
            _announce(self.folder, f"{name}.none", "no plan")
            return
        with self.lock:
            now = name in self.plans and name not in self.started and name not in self.warming
            if now:
                self.warming.add(name)
        if now:
            self._thread(self._warm, name)

    def step_ended(self, name: str, ran: bool) -> None:
        with self.lock:
            self.running.discard(name)
            self.done.add(name)
            if ran:
                self.ran.add(name)
            manager = self.started.pop(name, None)
        if manager is not None:
            self._thread(_shutdown, manager)
        self._next()

    def _candidate(self) -> str | None:
        """The next step to start a kernel for ahead: every step it waits for has started or ended, one of them
        runs or ran (else it may well be up to date too), and a core is free."""
        if not self.armed or self.closed or len(self.running) + len(self.warming) >= self.cores:
            return None
        begun, running = self.running | self.done, self.running | self.ran
        for name in self.order:
            taken = name in begun or name in self.started or name in self.warming
            deps = self.deps[name]
            if name in self.plans and not taken and deps and deps <= begun and deps & running:
                return name
        return None

    def _next(self) -> None:
        with self.lock:
            name = self._candidate()
            if name is None:
                return
            self.warming.add(name)
        self._thread(self._warm, name)

    def _warm(self, name: str) -> None:
        plan = self.plans[name]
        announced = False
        try:
            Path(plan["audit_log"]).unlink(missing_ok=True)
            manager = _start(plan)
            with self.lock:
                closed = self.closed
                if not closed:
                    self.started[name] = manager
            if closed:
                _shutdown(manager)
                return
            info = {"connection_file": manager.connection_file, "pid": manager.provisioner.process.pid}
            _announce(self.folder, f"{name}.json", json.dumps(info))  # the worker may attach from here on
            announced = True
            _run_quietly(manager, plan["code"], lambda: self.closed)
        except Exception as exc:  # the worker starts the kernel itself (and says what is wrong, if anything)
            if not announced:
                _announce(self.folder, f"{name}.none", f"{type(exc).__name__}: {exc}")
        finally:
            with self.lock:
                self.warming.discard(name)
        self._next()

    def close(self) -> None:
        """Shut down every kernel it started and end its threads: nothing of it outlives the build (a later
        build in the same process forks its workers from it)."""
        with self.lock:
            self.closed = True
        for thread in list(self.threads):
            thread.join(timeout=10)
        with self.lock:
            managers = list(self.started.values())
            self.started.clear()
        for manager in managers:
            _shutdown(manager)


def _closing_its_loop(target: Any, *args: Any) -> None:
    """Run ``target`` in this thread, then close the event loop jupyter_client made for the thread: left open,
    it is collected at the build's exit after its file descriptors are gone, and prints a traceback then."""
    import asyncio

    try:
        target(*args)
    finally:
        with contextlib.suppress(RuntimeError):  # no loop was made in this thread
            loop = asyncio.get_event_loop_policy().get_event_loop()
            if not loop.is_closed():
                loop.close()


def _announce(folder: Path, name: str, text: str) -> None:
    partial = folder / f".{name}.tmp"
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, folder / name)


def _start(plan: dict[str, Any]) -> Any:
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name="python3")
    log = open(plan["log"], "ab")  # noqa: SIM115 - handed to the kernel process, closed below
    try:
        manager.start_kernel(env={**os.environ, **plan["env"]}, cwd=plan["cwd"], stdout=log, stderr=log, stdin=None)
    finally:
        log.close()
    return manager


def _run_quietly(manager: Any, code: str, stop: Any) -> None:
    """Run ``code`` in the kernel without output and without a history entry; wait until it is done (or the
    build ends, or the kernel does)."""
    import queue

    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        if not code:
            return
        message = client.execute(code, silent=True, store_history=False)
        while not stop() and manager.is_alive():
            try:
                reply = client.get_shell_msg(timeout=0.2)
            except queue.Empty:
                continue
            if reply["parent_header"].get("msg_id") == message:
                return
    finally:
        client.stop_channels()


def _shutdown(manager: Any) -> None:
    with contextlib.suppress(Exception):
        manager.shutdown_kernel(now=True)
    with contextlib.suppress(Exception):
        manager.cleanup_resources()


# --- a step's worker: attach to its kernel ---------------------------------------------------------------


def claim(folder: Path, name: str, wait: float = LAUNCH_WAIT) -> dict[str, Any] | None:
    """The kernel the build started for this step, now this worker's; None if it could not (start one)."""
    import time

    ready, failed, taken = folder / f"{name}.json", folder / f"{name}.none", folder / f"{name}.claimed.json"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and not failed.exists():
        with contextlib.suppress(FileNotFoundError):
            os.replace(ready, taken)  # atomic: one worker only
            return json.loads(taken.read_text(encoding="utf-8"))
        time.sleep(0.01)
    return None


def attached_manager(info: dict[str, Any]) -> Any:
    """A kernel manager for papermill/nbclient that drives a kernel another process started.

    It answers "alive?" from the kernel's process (so a kernel that dies is noticed at once, as with a kernel
    of one's own), interrupts by signal, and leaves the shutdown to the process that started the kernel.
    """
    from jupyter_client.manager import AsyncKernelManager

    pid = int(info["pid"])

    class Attached(AsyncKernelManager):
        @property
        def has_kernel(self) -> bool:
            return True

        async def _async_is_alive(self) -> bool:  # the kernel client asks this one, nbclient is_alive
            return staging.alive(pid)

        is_alive = _async_is_alive  # type: ignore[assignment]

        async def interrupt_kernel(self) -> None:  # type: ignore[override]
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGINT)

        async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:  # type: ignore[override]
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

        def client(self, **kwargs: Any) -> Any:
            client = super().client(**kwargs)
            self.clients.append(client)
            return client

    manager = Attached(kernel_name="python3", owns_kernel=False)
    manager.clients = []
    manager.load_connection_file(info["connection_file"])
    return manager


RELEASE_WAIT = 5.0  # seconds a worker waits for its channels to an attached kernel to close


def release(manager: Any, wait: float = RELEASE_WAIT) -> bool:
    """Close this worker's channels to an attached kernel (the build shuts the kernel down); True when they
    closed within ``wait`` seconds.

    A kernel killed while jupyter_client's heartbeat thread awaits its reply leaves that thread waiting for
    ever, and ``stop_channels`` joins it: seen as a build that never ended when a step failed and the others'
    kernels were killed. So the channels are closed in a thread of their own, waited for ``wait`` seconds at
    most; the heartbeat thread is a daemon and does not keep the worker alive."""
    clients = list(getattr(manager, "clients", []))

    def stop() -> None:
        for client in clients:
            with contextlib.suppress(Exception):
                client.stop_channels()

    closing = threading.Thread(target=stop, daemon=True)
    closing.start()
    closing.join(timeout=wait)
    return not closing.is_alive()


def plan_for(spec: dict[str, Any], code: str) -> dict[str, Any]:
    """What the pool needs to start a step's kernel, from the step's spec (as its worker would start it)."""
    return {
        "env": {"IPYTHONDIR": spec["ipython_dir"], audit.RULES_ENV: spec["audit_rules"]},
        "cwd": spec["cwd"],
        "log": spec["kernel_log"],
        "code": code,
        "audit_log": spec["audit_log"],
    }
