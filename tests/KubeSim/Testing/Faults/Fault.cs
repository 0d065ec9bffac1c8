namespace KubeSim;

/// <summary>
/// One injected failure, given to <see cref="FaultInjector.Inject(Fault)"/> (or POSTed as JSON to
/// <c>/kubesim/faults</c>, which is parsed into the same records). Faults stay until used up or
/// <see cref="FaultInjector.Reset"/>.
/// </summary>
public abstract record Fault;
