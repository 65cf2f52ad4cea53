using LightNvr.Posix;

namespace LightNvr.Tests.Posix;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class SpawnedProcessTests
{
    [Test]
    public async Task Stdout_and_stderr_lines_arrive_separately_and_in_order()
    {
        var lines = new Lines();
        using var child = SpawnedProcess.Spawn(Child.Sh("echo out1; echo err1 >&2; echo out2; echo err2 >&2", lines));
        var status = await Child.RunToEnd(child);
        await Assert.That(status.Code).IsEqualTo(0);
        await Assert.That(lines.Stdout).IsEquivalentTo(new[] { "out1", "out2" });
        await Assert.That(lines.Stderr).IsEquivalentTo(new[] { "err1", "err2" });
        await Assert.That(lines.Stdout[0]).IsEqualTo("out1");
        await Assert.That(lines.Stderr[0]).IsEqualTo("err1");
    }

    [Test]
    public async Task Partial_last_line_is_flushed_and_long_lines_are_cut()
    {
        var lines = new Lines();
        var request = Child.Sh("head -c 40000 /dev/zero | tr '\\0' x; echo; echo after; printf 'crlf\\r\\n'; printf tail", lines)
            with { MaxLineBytes = 16384 };
        using var child = SpawnedProcess.Spawn(request);
        await Child.RunToEnd(child);
        var stdout = lines.Stdout;
        await Assert.That(stdout.Length).IsEqualTo(4);
        await Assert.That(stdout[0]).IsEqualTo(new string('x', 16384));
        await Assert.That(stdout[1]).IsEqualTo("after");
        await Assert.That(stdout[2]).IsEqualTo("crlf");
        await Assert.That(stdout[3]).IsEqualTo("tail");
    }

    [Test]
    public async Task Environment_is_exactly_the_given_one()
    {
        var lines = new Lines();
        using var child = SpawnedProcess.Spawn(new SpawnRequest
        {
            ExecutablePath = "/usr/bin/env",
            WorkingDirectory = "/",
            Environment = new Dictionary<string, string> { ["FOO"] = "bar baz", ["EMPTY"] = "" },
            OnOutputLine = lines.Add,
        });
        await Child.RunToEnd(child);
        // The test host has HOME, PATH, DOTNET_* ...: any of them leaking would show here.
        await Assert.That(lines.Stdout.Order().ToArray()).IsEquivalentTo(new[] { "EMPTY=", "FOO=bar baz" });
    }

    [Test]
    public async Task Working_directory_is_applied_and_a_relative_executable_is_resolved_against_ours()
    {
        var dir = Child.TempDir();
        try
        {
            var lines = new Lines();
            using var child = SpawnedProcess.Spawn(Child.Sh("pwd -P", lines, cwd: dir));
            await Child.RunToEnd(child);
            await Assert.That(lines.Stdout).IsEquivalentTo(new[] { new DirectoryInfo(dir).ResolveLinkTarget(true)?.FullName ?? dir });
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public async Task Stdin_is_dev_null_and_no_other_descriptor_is_inherited()
    {
        var lines = new Lines();
        // The fds of sh itself ($$; "; true" keeps sh from exec-ing ls): only the three we gave it.
        using var child = SpawnedProcess.Spawn(Child.Sh("cat; readlink /proc/$$/fd/0; ls /proc/$$/fd; true", lines));
        var status = await Child.RunToEnd(child);
        await Assert.That(status.Code).IsEqualTo(0);
        await Assert.That(string.Join(",", lines.Stdout)).IsEqualTo("/dev/null,0,1,2");
    }

    [Test]
    public async Task Child_leads_its_own_process_group()
    {
        using var child = SpawnedProcess.Spawn(new SpawnRequest { ExecutablePath = "/bin/sleep", Arguments = ["100"], WorkingDirectory = "/" });
        var stat = ProcFs.ReadStat(child.Pid);
        await Assert.That(stat).IsNotNull();
        await Assert.That(stat!.Value.ProcessGroup).IsEqualTo(child.Pid);
        await Assert.That(stat.Value.ProcessGroup).IsNotEqualTo(ProcFs.ReadStat(Environment.ProcessId)!.Value.ProcessGroup);
    }

    [Test]
    public async Task Signals_are_default_and_unblocked_in_the_child_although_we_ignore_SIGPIPE()
    {
        // Precondition that makes this test mean something: the .NET runtime ignores SIGPIPE (bit 13).
        var ourIgnored = Convert.ToUInt64(ProcFs.StatusField(Environment.ProcessId, "SigIgn"), 16);
        await Assert.That(ourIgnored & (1UL << 12)).IsNotEqualTo(0UL);

        using var child = SpawnedProcess.Spawn(new SpawnRequest { ExecutablePath = "/bin/sleep", Arguments = ["100"], WorkingDirectory = "/" });
        // posix_spawn returns after the exec, so this is the state sleep runs with.
        await Assert.That(Convert.ToUInt64(ProcFs.StatusField(child.Pid, "SigIgn"), 16)).IsEqualTo(0UL);
        await Assert.That(Convert.ToUInt64(ProcFs.StatusField(child.Pid, "SigBlk"), 16)).IsEqualTo(0UL);
    }

    [Test]
    public async Task Exit_code_is_reported()
    {
        using var child = SpawnedProcess.Spawn(Child.Sh("exit 3"));
        var status = await child.Exited.WaitAsync(Child.Deadline);
        await Assert.That(status).IsEqualTo(ExitStatus.Exited(3));
        await Assert.That(status.ToString()).IsEqualTo("exit code 3");
    }

    [Test]
    public async Task Death_by_signal_is_reported()
    {
        using var child = SpawnedProcess.Spawn(Child.Sh("kill -9 $$"));
        var status = await child.Exited.WaitAsync(Child.Deadline);
        await Assert.That(status.Code).IsNull();
        await Assert.That(status.Signal).IsEqualTo(9);
        await Assert.That(status.ToString()).IsEqualTo("signal 9 (SIGKILL)");
    }

    [Test]
    public async Task Kill_9_completes_Exited_promptly_and_leaves_no_zombie()
    {
        using var child = SpawnedProcess.Spawn(new SpawnRequest { ExecutablePath = "/bin/sleep", Arguments = ["100"], WorkingDirectory = "/" });
        var identity = child.Identity;
        await Assert.That(identity.IsAlive()).IsTrue();
        await Assert.That(child.Exited.IsCompleted).IsFalse();

        await Assert.That(child.Signal(9)).IsTrue();
        var status = await child.Exited.WaitAsync(TimeSpan.FromSeconds(5));
        await Assert.That(status.Signal).IsEqualTo(9);
        // Reaped: no /proc entry left (or, if the pid was already recycled, someone else's).
        await Assert.That(ProcFs.StartTime(child.Pid) is null || ProcFs.StartTime(child.Pid) != identity.StartTime).IsTrue();
        await Assert.That(identity.IsAlive()).IsFalse();
    }

    [Test]
    public async Task Fifty_megabytes_of_output_do_not_block_the_child()
    {
        long bytes = 0, count = 0;
        const long total = 50L * 1024 * 1024; // 524288 lines of 99 characters + newline
        var request = Child.Sh($"yes {new string('y', 99)} | head -c {total}") with
        {
            OnOutputLine = (line, isStderr) =>
            {
                if (isStderr) return;
                bytes += line.Length + 1;
                count++;
            },
        };
        using var child = SpawnedProcess.Spawn(request);
        var status = await child.Exited.WaitAsync(TimeSpan.FromSeconds(60));
        await child.OutputCompleted.WaitAsync(TimeSpan.FromSeconds(60));
        await Assert.That(status.Code).IsEqualTo(0);
        await Assert.That(count).IsEqualTo(total / 100);
        await Assert.That(bytes).IsEqualTo(total);
    }

    [Test]
    public async Task Signal_after_reap_is_a_no_op()
    {
        var lines = new Lines();
        // sh exits (and is reaped) while its background sleep stays in the group: a kill(-pgid) after
        // the reap would still find that sleep, so its survival shows that nothing was sent.
        using var child = SpawnedProcess.Spawn(Child.Sh("sleep 100 & echo $!", lines));
        var status = await child.Exited.WaitAsync(Child.Deadline);
        await Assert.That(status.Code).IsEqualTo(0);
        await Child.Until(() => lines.Stdout.Length > 0, "the grandchild's pid");
        var grandchild = ProcessIdentity.Capture(int.Parse(lines.Stdout[0]));
        try
        {
            await Assert.That(grandchild).IsNotNull();
            await Assert.That(ProcFs.ReadStat(grandchild!.Value.Pid)!.Value.ProcessGroup).IsEqualTo(child.Pid);
            await Assert.That(child.Signal(15)).IsFalse();
            await Assert.That(child.Signal(0)).IsFalse();
            await Assert.That(grandchild.Value.IsAlive()).IsTrue();
        }
        finally
        {
            if (grandchild?.IsAlive() == true) LightNvr.Posix.Native.kill(grandchild.Value.Pid, 9);
        }
    }

    [Test]
    public async Task Group_signal_reaches_a_grandchild()
    {
        var lines = new Lines();
        using var child = SpawnedProcess.Spawn(Child.Sh("sleep 100 & echo $!; wait", lines));
        await Child.Until(() => lines.Stdout.Length > 0, "the grandchild's pid");
        var grandchild = ProcessIdentity.Capture(int.Parse(lines.Stdout[0]));
        await Assert.That(grandchild).IsNotNull();
        await Assert.That(grandchild!.Value.IsAlive()).IsTrue();

        await Assert.That(child.Signal(15)).IsTrue();
        var status = await child.Exited.WaitAsync(Child.Deadline);
        await Assert.That(status.Signal).IsEqualTo(15);
        // Reparented, then reaped by init (or left a zombie if init does not reap): dead either way.
        await Child.Until(() => !grandchild.Value.IsAlive(), "the grandchild to die");
    }

    [Test]
    public async Task Dispose_kills_the_child_and_stops_the_reader_even_if_an_escaped_grandchild_holds_the_pipe()
    {
        var lines = new Lines();
        // setsid puts the grandchild in a new session, out of reach of the group signal; it keeps our
        // stdout pipe open, so EOF never comes: only the eventfd wake-up can stop the reader.
        var child = SpawnedProcess.Spawn(Child.Sh("setsid sleep 100 & echo $!; exec sleep 100", lines));
        await Child.Until(() => lines.Stdout.Length > 0, "the escaped grandchild's pid");
        var escaped = int.Parse(lines.Stdout[0]);
        try
        {
            await Child.Until(() => ProcFs.Comm(escaped) == "sleep", "the escaped grandchild to exec sleep");
            child.Dispose();
            var status = await child.Exited.WaitAsync(Child.Deadline);
            await Assert.That(status.Signal).IsEqualTo(9);
            await child.OutputCompleted.WaitAsync(Child.Deadline);
            await Assert.That(ProcessIdentity.Capture(escaped)?.IsAlive() ?? false).IsTrue();
        }
        finally
        {
            if (ProcFs.Comm(escaped) == "sleep") LightNvr.Posix.Native.kill(escaped, 9);
        }
    }

    [Test]
    public async Task A_missing_executable_is_a_clear_error()
    {
        var ex = Assert.Throws<SpawnException>(() =>
            SpawnedProcess.Spawn(new SpawnRequest { ExecutablePath = "/nonexistent/go2rtc", WorkingDirectory = "/" }));
        await Assert.That(ex.Message).Contains("/nonexistent/go2rtc");
        await Assert.That(ex.Message).Contains("ENOENT");
        await Assert.That(ex.Message).Contains("does not exist");
        await Assert.That(ex.Errno).IsEqualTo(2);
    }

    [Test]
    public async Task A_missing_working_directory_is_a_clear_error()
    {
        var ex = Assert.Throws<SpawnException>(() =>
            SpawnedProcess.Spawn(new SpawnRequest { ExecutablePath = "/bin/sh", WorkingDirectory = "/nonexistent/dir" }));
        await Assert.That(ex.Message).Contains("/nonexistent/dir");
    }

    [Test]
    public async Task A_file_without_execute_permission_is_a_clear_error()
    {
        var dir = Child.TempDir();
        try
        {
            var path = Path.Combine(dir, "go2rtc");
            File.WriteAllText(path, "#!/bin/sh\necho hi\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var ex = Assert.Throws<SpawnException>(() => SpawnedProcess.Spawn(new SpawnRequest { ExecutablePath = path, WorkingDirectory = "/" }));
            await Assert.That(ex.Message).Contains(path);
            await Assert.That(ex.Message).Contains("EACCES");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public async Task An_executable_that_is_not_a_program_is_a_clear_error()
    {
        var dir = Child.TempDir();
        try
        {
            var path = Path.Combine(dir, "go2rtc");
            File.WriteAllText(path, "echo no shebang\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var ex = Assert.Throws<SpawnException>(() => SpawnedProcess.Spawn(new SpawnRequest { ExecutablePath = path, WorkingDirectory = "/" }));
            await Assert.That(ex.Message).Contains(path);
            await Assert.That(ex.Message).Contains("ENOEXEC");
            await Assert.That(ex.Message).Contains("not an ELF executable");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
