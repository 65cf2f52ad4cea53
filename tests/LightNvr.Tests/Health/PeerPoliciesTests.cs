using LightNvr.Health;

namespace LightNvr.Tests.Health;

public class PeerPoliciesTests
{
    [Test]
    public async Task The_documented_numbers()
    {
        await Assert.That(PeerPolicies.LightNvr with { Name = "" }).IsEqualTo(new PeerPolicy("", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), 3,
            TimeSpan.Zero, TimeSpan.FromSeconds(120), 5, TimeSpan.FromSeconds(600), false, 2, TimeSpan.FromSeconds(120)));
        await Assert.That((PeerPolicies.HomeAssistant.CheckInterval, PeerPolicies.HomeAssistant.ProbeTimeout, PeerPolicies.HomeAssistant.RespawnDelay, PeerPolicies.HomeAssistant.MaxRestarts))
            .IsEqualTo((TimeSpan.FromSeconds(10), (TimeSpan?)TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), (int?)null));
        await Assert.That((PeerPolicies.Frigate.CheckInterval, PeerPolicies.Frigate.FailuresBeforeRestart)).IsEqualTo((TimeSpan.FromSeconds(30), 1));
        await Assert.That(PeerPolicies.Appliance.CountsFailedRestarts).IsTrue();
    }
}
