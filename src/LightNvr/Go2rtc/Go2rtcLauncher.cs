using LightNvr.Config;
using LightNvr.Posix;
using LightNvr.Storage;
using YamlDotNet.RepresentationModel;

namespace LightNvr.Go2rtc;

/// <summary>One start attempt: find the binary, write the configs, check the ports, spawn, wait until ready.</summary>
internal sealed class Go2rtcLauncher(SupervisorContext context, Go2rtcApi api, IConfigStreamsSource? configStreams,
    PersonFileGuard personFile, Go2rtcPorts ports, CurrentRun current, Readiness readiness)
{
    private Go2rtcSettings Settings => context.Settings;
    private string GeneratedPath => Path.Combine(Settings.ConfigDir, GeneratedConfig.FileName);

    private Dictionary<string, string> ChildEnvironment()
    {
        var env = new Dictionary<string, string> { ["PATH"] = BinaryLocator.SearchPath, ["HOME"] = Settings.ConfigDir };
        if (Environment.GetEnvironmentVariable("TZ") is { } tz) env["TZ"] = tz;
        foreach (var (k, v) in context.Options.ExtraEnvironment) env[k] = v;
        return env;
    }

    public async Task<LocatedBinary> LocateAsync(CancellationToken stop)
    {
        if (context.Status.Phase != Go2rtcPhase.BinaryProblem) context.Publish(s => s with { Phase = Go2rtcPhase.Locating, Message = "looking for go2rtc" });
        Directory.CreateDirectory(Settings.ConfigDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var located = await context.Os.LocateAsync(Settings.Binary, Settings.ConfigDir, ChildEnvironment(), stop);
        if (!located.Usable)
        {
            if (located.Message != context.Status.Message) // said once, not every 30 s
                context.Log.LogError("{Message}; looking again every {Seconds} s", located.Message, context.Options.LocateRetry.TotalSeconds);
            context.Publish(s => s with
            {
                Phase = Go2rtcPhase.BinaryProblem, Message = located.Message, BinaryPath = located.Path, Version = located.Version?.Text,
                StandIn = located.Version?.StandIn ?? false,
            });
        }
        else context.Publish(s => s with { BinaryPath = located.Path, Version = located.Version!.Text, StandIn = located.Version.StandIn });
        return located;
    }

    /// <summary>True when go2rtc runs and is ready; false with the reason in the status.</summary>
    public async Task<bool> LaunchAsync(LocatedBinary binary, CancellationToken stop)
    {
        context.Publish(s => s with { Phase = Go2rtcPhase.Starting, Message = $"starting {binary.Message}", Pid = null, ReadyAt = null });
        var (usePerson, basePath) = personFile.Prepare();
        if (!WriteGeneratedConfig(binary.Version!)) return false;
        if (await ports.ConflictAsync(stop) is { } conflict)
        {
            context.Publish(s => s with { Phase = Go2rtcPhase.PortConflict, Message = conflict });
            return false;
        }

        api.BasePath = GeneratedConfig.BasePath(Settings, basePath);
        var run = new Go2rtcRun(Settings.ApiPort, context.Sink);
        List<string> args = ["--config", GeneratedPath];
        if (usePerson) args.AddRange(["--config", personFile.PersonPath]);
        args.AddRange(["--config", GeneratedConfig.Pins(Settings)]);
        run.SpawnedAt = context.Clock.GetTimestamp();
        try
        {
            run.Process = context.Os.Spawn(new SpawnRequest
            {
                ExecutablePath = binary.Path, Argv0 = "go2rtc", Arguments = args, WorkingDirectory = Settings.ConfigDir,
                Environment = ChildEnvironment(), OnOutputLine = run.OnLine,
            });
        }
        catch (SpawnException e)
        {
            context.Publish(s => s with { Message = e.Message });
            return false;
        }
        current.Adopt(run);
        context.Publish(s => s with { Pid = run.Process.Pid, StartedAt = context.Clock.GetUtcNow(), ApiUrl = api.BaseUrl });
        context.Log.LogInformation("go2rtc started, pid {Pid}: {Args}", run.Process.Pid, string.Join(' ', args));

        var failure = await readiness.WaitAsync(run, stop);
        personFile.AfterStart(usePerson, started: failure is null);
        if (failure is not null)
        {
            context.Log.LogError("go2rtc did not become ready: {Failure}", failure);
            await current.StopAsync(failure);
            context.Publish(s => s with { Message = failure });
            return false;
        }
        await readiness.BecomeReadyAsync(run, stop);
        return true;
    }

    private bool WriteGeneratedConfig(Go2rtcVersion version)
    {
        try
        {
            var streams = configStreams?.For(version) ?? ConfigStreams.None;
            var text = GeneratedConfig.Render(Settings, streams.Sources, streams.Preload);
            new YamlStream().Load(new StringReader(text)); // what go2rtc gets must at least parse
            AtomicFile.WriteAllText(GeneratedPath, text);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Publish(s => s with { Message = $"cannot write go2rtc's config in {Settings.ConfigDir}: {e.Message}" });
            return false;
        }
    }
}
