using LightNvr.Auth;
using LightNvr.Board.Console;
using LightNvr.Config;
using LightNvr.Status;

namespace LightNvr.Board;

/// <summary>The board's registrations: the LED's loop, the reset button, the maintenance console.</summary>
public static class BoardModule
{
    /// <param name="ledRoot">The LED class directory (tests lay one out in a temp directory).</param>
    public static IServiceCollection AddBoard(this IServiceCollection services, AppConfig config, string ledRoot = SysfsLed.DefaultRoot)
    {
        var board = config.Board;
        services.AddSingleton(new BoardState());
        services.AddSingleton(sp => new PasswordPresence(() => sp.GetRequiredService<PasswordStore>().Exists));
        services.AddSingleton<BoardActions>();
        services.AddSingleton<IMaintenanceActions>(sp => sp.GetRequiredService<BoardActions>());
        services.AddSingleton<IButtonActions>(sp => sp.GetRequiredService<BoardActions>());

        if (board.Led.Driver != "none")
            services.AddHostedService(sp =>
            {
                var appliance = sp.GetRequiredService<ApplianceStateOwner>();
                var loaded = sp.GetRequiredService<LoadedConfig>();
                var password = sp.GetRequiredService<PasswordPresence>();
                var state = sp.GetRequiredService<BoardState>();
                return new LedPlayer(() => OpenLed(board.Led, ledRoot),
                    () => BoardView.PatternOf(appliance.Current.Health, loaded.Errors.Count, password.IsSet(), state),
                    state, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<LedPlayer>>());
            });
        if (board.Button.Chip.Length > 0)
            services.AddHostedService(sp => new ResetButton(board.Button, GpioChips.Open, sp.GetRequiredService<IButtonActions>(),
                sp.GetRequiredService<BoardState>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ResetButton>>()));
        if (!BoardRules.IsNone(board.Console.Device))
            services.AddHostedService(sp => new MaintenanceConsole(board.Console, () => new ConsoleSession(sp.GetRequiredService<IMaintenanceActions>()),
                sp.GetRequiredService<BoardState>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<MaintenanceConsole>>()));
        return services;
    }

    public static ILedOutput OpenLed(LedSettings led, string ledRoot) => led.Driver switch
    {
        "sysfs" => SysfsLed.Open(ledRoot, led.Name),
        "gpio" => new GpioLed(GpioChips.Open(led.Chip), led.Chip, led.Line, led.ActiveLow),
        _ => throw new ArgumentException($"unknown LED driver '{led.Driver}'"),
    };
}

/// <summary>Where the board's kernel interfaces are: the real ones unless a test lays them out elsewhere.</summary>
public sealed record BoardRoots(string LedRoot = SysfsLed.DefaultRoot);
