using LightNvr.Posix;
using LightNvr.Storage;
using YamlDotNet.RepresentationModel;

namespace LightNvr.Go2rtc;

// One start attempt: find the binary, write the configs, check the ports, spawn, wait until ready.
public sealed partial class Go2rtcSupervisor
{
    private string PersonPath => Path.Combine(_settings.ConfigDir, GeneratedConfig.PersonFileName);
    private string GeneratedPath => Path.Combine(_settings.ConfigDir, GeneratedConfig.FileName);

    private Dictionary<string, string> ChildEnvironment()
    {
        var env = new Dictionary<string, string> { ["PATH"] = BinaryLocator.SearchPath, ["HOME"] = _settings.ConfigDir };
        if (Environment.GetEnvironmentVariable("TZ") is { } tz) env["TZ"] = tz;
        foreach (var (k, v) in _options.ExtraEnvironment) env[k] = v;
        return env;
    }

    private async Task<LocatedBinary> LocateAsync(CancellationToken stop)
    {
        if (Status.Phase != Go2rtcPhase.BinaryProblem) Publish(s => s with { Phase = Go2rtcPhase.Locating, Message = "looking for go2rtc" });
        Directory.CreateDirectory(_settings.ConfigDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var located = await BinaryLocator.LocateAsync(_settings.Binary, _settings.ConfigDir, ChildEnvironment(), stop);
        if (!located.Usable)
        {
            if (located.Message != Status.Message) // said once, not every 30 s
                _log.LogError("{Message}; looking again every {Seconds} s", located.Message, _options.LocateRetry.TotalSeconds);
            Publish(s => s with { Phase = Go2rtcPhase.BinaryProblem, Message = located.Message, BinaryPath = located.Path, Version = located.Version?.Text, StandIn = located.Version?.StandIn ?? false });
        }
        else Publish(s => s with { BinaryPath = located.Path, Version = located.Version!.Text, StandIn = located.Version.StandIn });
        return located;
    }

    private async Task<bool> LaunchAsync(LocatedBinary binary, CancellationToken stop)
    {
        Publish(s => s with { Phase = Go2rtcPhase.Starting, Message = $"starting {binary.Message}", Pid = null, ReadyAt = null });
        var (usePerson, basePath) = PreparePersonFile();
        try
        {
            var streams = _configStreams?.For(binary.Version!) ?? ConfigStreams.None;
            var text = GeneratedConfig.Render(_settings, streams.Sources, streams.Preload);
            new YamlStream().Load(new StringReader(text)); // what go2rtc gets must at least parse
            AtomicFile.WriteAllText(GeneratedPath, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Publish(s => s with { Message = $"cannot write go2rtc's config in {_settings.ConfigDir}: {e.Message}" });
            return false;
        }
        if (await BusyPortAsync(stop) is { } conflict)
        {
            Publish(s => s with { Phase = Go2rtcPhase.PortConflict, Message = conflict });
            return false;
        }

        Api.BasePath = basePath;
        var run = new Go2rtcRun(_settings.ApiPort, _sink);
        List<string> args = ["--config", GeneratedPath];
        if (usePerson) args.AddRange(["--config", PersonPath]);
        args.AddRange(["--config", GeneratedConfig.Pins(_settings)]);
        try
        {
            run.SpawnedAt = _clock.GetTimestamp();
            run.Process = SpawnedProcess.Spawn(new SpawnRequest
            {
                ExecutablePath = binary.Path, Argv0 = "go2rtc", Arguments = args, WorkingDirectory = _settings.ConfigDir,
                Environment = ChildEnvironment(), OnOutputLine = run.OnLine,
            });
        }
        catch (SpawnException e)
        {
            Publish(s => s with { Message = e.Message });
            return false;
        }
        _run = run;
        TryWritePidFile(run.Process);
        Publish(s => s with { Pid = run.Process.Pid, StartedAt = _clock.GetUtcNow(), ApiUrl = Api.BaseUrl });
        _log.LogInformation("go2rtc started, pid {Pid}: {Args}", run.Process.Pid, string.Join(' ', args));

        var failure = await WaitReadyAsync(run, stop);
        var started = failure is null;
        var (next, verdict) = _quarantine.AfterStart(usePerson, started);
        _quarantine = next;
        if (verdict == Quarantine.Verdict.MoveAside) MovePersonFileAside();
        if (!started)
        {
            _log.LogError("go2rtc did not become ready: {Failure}", failure);
            await StopCurrentAsync(failure!);
            Publish(s => s with { Message = failure! });
            return false;
        }
        await BecomeReadyAsync(run, stop);
        return true;
    }

    /// <summary>Null when ready; otherwise why not, in words.</summary>
    private async Task<string?> WaitReadyAsync(Go2rtcRun run, CancellationToken stop)
    {
        var deadline = TimeSpan.FromMilliseconds(_settings.ReadyTimeoutMs);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(deadline);
        var first = await Task.WhenAny(run.ApiListening, run.ListenFailed, run.Process.Exited, Task.Delay(Timeout.Infinite, timeout.Token));
        stop.ThrowIfCancellationRequested();
        if (first == run.ListenFailed) return PortInUseMessage(run.ListenFailed.Result);
        if (first == run.Process.Exited) return $"go2rtc exited during start-up ({run.Process.Exited.Result}){LastLines()}";
        if (first != run.ApiListening)
            return $"go2rtc printed no '[api] listen addr=127.0.0.1:{_settings.ApiPort}' line within {deadline.TotalSeconds:0.#} s{LastLines()}";
        // The line alone is not enough: the API must answer, from this very process.
        while (true)
        {
            string? version;
            // The deadline cancels this call too: a hung or failing API is an answer ("not ready"), never an exception.
            try { version = await Api.GetVersionAsync(TimeSpan.FromSeconds(1), timeout.Token); }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested) { version = null; }
            if (version is not null) break;
            if (run.Process.Exited.IsCompleted) return $"go2rtc exited during start-up ({run.Process.Exited.Result}){LastLines()}";
            if (timeout.IsCancellationRequested)
            {
                stop.ThrowIfCancellationRequested();
                return $"go2rtc's API did not answer within {deadline.TotalSeconds:0.#} s";
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), _clock, timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        if (run.ListenFailed.IsCompleted) return PortInUseMessage(run.ListenFailed.Result);
        if (!ProcFs.OwnsListeningTcpPort(run.Process.Pid, _settings.ApiPort))
            return $"port {_settings.ApiPort} answers, but not from go2rtc (pid {run.Process.Pid}): {OwnerOf(_settings.ApiPort)}";
        return null;
    }

    private async Task BecomeReadyAsync(Go2rtcRun run, CancellationToken stop)
    {
        var startupMs = Math.Round(_clock.GetElapsedTime(run.SpawnedAt).TotalMilliseconds, 1);
        var generation = _status.Update(s => s with { Generation = s.Generation + 1, StartupMs = startupMs }).Generation;
        foreach (var hook in _readyHooks)
        {
            try { await hook(generation, stop); }
            catch (Exception e) when (!stop.IsCancellationRequested) { _log.LogError(e, "after go2rtc became ready"); }
        }
        RecordAttempt(true); // in the history before anyone can see Ready
        Publish(s => s with { Phase = Go2rtcPhase.Ready, ReadyAt = _clock.GetUtcNow(), Message = $"go2rtc {s.Version} ready", LastExit = s.LastExit });
        _log.LogInformation("go2rtc ready in {Ms} ms (pid {Pid}, generation {Generation})", startupMs, run.Process.Pid, generation);
    }

    private (bool Use, string BasePath) PreparePersonFile()
    {
        try { PersonConfig.CreateExampleIfMissing(PersonPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a read-only dir is reported at write time */ }
        var check = PersonConfig.Inspect(PersonPath);
        if (check.Error is not null)
        {
            _log.LogError("your go2rtc.yaml is not used: {Error}", check.Error);
            Publish(s => s with { PersonConfigNote = $"not used, it does not parse: {check.Error}" });
            return (false, "");
        }
        if (check.Exists && !_quarantine.UsePersonFile)
        {
            Publish(s => s with { PersonConfigNote = $"go2rtc failed {Quarantine.Limit} starts in a row with {PersonPath}; trying once without it" });
            return (false, "");
        }
        if (Status.PersonConfigNote?.StartsWith("not used") == true) Publish(s => s with { PersonConfigNote = null });
        return (check.Exists, check.BasePath);
    }

    private void MovePersonFileAside()
    {
        var aside = $"{PersonPath}.rejected-{_clock.GetUtcNow():yyyyMMdd-HHmmss}";
        try
        {
            File.Move(PersonPath, aside);
            var note = $"go2rtc failed {Quarantine.Limit} starts in a row with your go2rtc.yaml and started without it: moved to {aside}";
            _log.LogError("{Note}", note);
            Publish(s => s with { PersonConfigNote = note });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogError("could not move {Path} aside: {Error}", PersonPath, e.Message);
        }
    }

    private void TryWritePidFile(SpawnedProcess process)
    {
        try { PidFile.Write(PidPath, process.Identity, process.ExecutablePath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("cannot write {Path}: {Error}", PidPath, e.Message);
        }
    }

    private string LastLines()
    {
        var lines = _sink.Recent(3);
        return lines.Count == 0 ? "" : "; last output: " + string.Join(" | ", lines);
    }
}
