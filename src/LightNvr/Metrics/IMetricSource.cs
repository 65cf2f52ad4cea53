namespace LightNvr.Metrics;

/// <summary>A part of the appliance that adds its own families to <c>/metrics</c> (registered in DI as IMetricSource).</summary>
public interface IMetricSource
{
    IEnumerable<MetricFamily> Metrics();
}
