#Requires -Version 7.0
# PowerShell.Stop() (what Ctrl+C does) on a runspace running a long command against the live lab: a bootstrap from
# bare nodes, Suspend-HaNode -Wait, a long Invoke-HaCommand. Each stop is timed (printed as "timing: ..."), and then
# checked where it matters: on the nodes themselves (no command of the call left running, the cluster lock gone) and
# by the cluster's next answers (Get-HaStatus, a rerun that converges). Lab test: needs HATOOLS_LAB=1 and the lab up
# (tests/lab/lab.sh up 3); resets the nodes to bare and leaves the lab cluster formed. Stage the module first.

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabClusters.ps1')
    $script:labSh = Join-Path $script:root 'tests/lab/lab.sh'
    $script:nodes = 'node1', 'node2', 'node3'
    # What every command HaTools runs on a node looks like there: under coreutils timeout (NodeSideTimeout.Wrap), and a
    # cancellable one under the stdin watcher as well (NodeSideTimeout.WrapCancellable).
    $script:wrapped = 'timeout -k 2 ', 'exec 3<&0'

    function Invoke-Lab { & bash $script:labSh @args 2>&1; if ($LASTEXITCODE -ne 0) { throw "lab.sh $args failed ($LASTEXITCODE)" } }

    # Processes on $Node whose command line holds one of $Pattern, as "pid command line", read inside the node (lab.sh
    # exec, not HaTools). The patterns come on stdin, so the probe's own command line never holds one.
    function Get-NodeProcess([string] $Node, [string[]] $Pattern) {
        $probe = 'set --; while IFS= read -r p; do set -- "$@" "$p"; done; ' +
                 'ps -eo pid=,args= | while read -r pid args; do for p in "$@"; do ' +
                 'case "$args" in *"$p"*) printf "%s %s\n" "$pid" "$args"; break ;; esac; done; done'
        @($Pattern | & bash $script:labSh exec $Node -- /bin/sh -c $probe 2>$null | Where-Object { $_ })
    }

    function Get-LabProcess([string[]] $Pattern) {
        foreach ($n in $script:nodes) { Get-NodeProcess -Node $n -Pattern $Pattern | ForEach-Object { "${n}: $_" } }
    }

    # Get-LabProcess lines, short enough to print: node, pid and the last words of the command line (its arguments).
    function Format-Process([string[]] $Listed) {
        if (-not $Listed) { return 'none' }
        ($Listed | ForEach-Object { $w = $_ -split ' +'; "$($w[0]) $($w[1]) ...$($w[-4..-1] -join ' ')" }) -join ' | '
    }

    # Nodes whose cluster lock directory exists (LockScript: <root>/held, root /var/run/hatools/lock).
    function Get-LockedNode {
        foreach ($n in $script:nodes) {
            & bash $script:labSh exec $n -- /bin/sh -c '[ -d /var/run/hatools/lock/held ]' 2>$null
            if ($LASTEXITCODE -eq 0) { $n }
        }
    }

    # Polls $Probe until it returns nothing; the seconds that took, or $null when $Seconds passed first.
    function Wait-Empty([scriptblock] $Probe, [double] $Seconds) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        while ($true) {
            if (-not @(& $Probe).Count) { return $sw.Elapsed.TotalSeconds }
            if ($sw.Elapsed.TotalSeconds -gt $Seconds) { return $null }
            Start-Sleep -Milliseconds 100
        }
    }

    # $Script in a runspace of its own (default host, progress on), started and left running.
    function Start-InRunspace([string] $Script) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$script:manifest'; $Script")
        [pscustomobject]@{ Shell = $ps; Run = $ps.BeginInvoke() }
    }

    # Waits until $Until holds for the running call (or it ended), then stops it: what was running on the nodes just
    # before, how long Stop() took, how the call ended, and its progress records.
    function Stop-WhenReady($Call, [scriptblock] $Until, [double] $Seconds, [string[]] $Pattern) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while (-not (& $Until $Call) -and -not $Call.Run.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $ready = [bool](& $Until $Call)
        $before = @(Get-LabProcess -Pattern $Pattern)
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $Call.Shell.Stop()
        $sw.Stop()
        $thrown = $null
        try { $null = $Call.Shell.EndInvoke($Call.Run) } catch { $thrown = $_.Exception.InnerException ?? $_.Exception }
        [pscustomobject]@{
            Ready    = $ready
            Before   = $before
            StopSec  = $sw.Elapsed.TotalSeconds
            State    = $Call.Shell.InvocationStateInfo.State
            Thrown   = $thrown
            Progress = @($Call.Shell.Streams.Progress)
            Errors   = @($Call.Shell.Streams.Error)
        }
    }

    # How a stopped call ended: printed with its time (the issue's bound is 2 s), then asserted with room for a loaded
    # shared machine (10 s); $Ready says the call was still doing what the test meant to interrupt.
    function Assert-Stopped($Stop, [string] $What, [string] $Because) {
        Write-Host ("timing: Stop() during {0} returned in {1:N3} s" -f $What, $Stop.StopSec)
        $Stop.Ready | Should -BeTrue -Because $Because
        $Stop.State | Should -Be 'Stopped'
        $Stop.Thrown | Should -BeOfType [System.Management.Automation.PipelineStoppedException]
        $Stop.StopSec | Should -BeLessThan 10
    }

    # The bootstrap's current step, from its own bar (PhaseRun: id 1, "phase: status").
    function Get-BootstrapStep($Progress) {
        (@($Progress | Where-Object { $_.ActivityId -eq 1 -and "$($_.RecordType)" -eq 'Processing' })[-1]).StatusDescription
    }

    # For each progress bar a call opened, its last record: a stopped call must have completed every one.
    function Get-OpenBar($Progress) {
        $Progress | Group-Object ActivityId | ForEach-Object { $_.Group[-1] } | Where-Object { "$($_.RecordType)" -ne 'Completed' }
    }

    # Pids of the processes listed by Get-LabProcess ("node: pid args") that still run on their node.
    function Get-Survivor([string[]] $Listed) {
        foreach ($line in $Listed) {
            $node, $procId = ($line -split '[: ]+')[0, 1]
            & bash $script:labSh exec $node -- /bin/sh -c "kill -0 $procId" 2>$null
            if ($LASTEXITCODE -eq 0) { $line }
        }
    }

    if (-not $script:labSkip) {
        # No Initialize-LabTest: the first test starts from bare nodes anyway.
        Import-Module $script:manifest -Force
        $script:work = Join-Path ([IO.Path]::GetTempPath()) ("hatools-stop-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $script:work | Out-Null
        $script:calls = @()
    }
}

AfterAll {
    if ($script:calls) { $script:calls | ForEach-Object { $_.Shell.Dispose() } }
    if (-not $script:labSkip) {
        Resume-HaNode -Path $script:labYaml -Name $script:nodes -Confirm:$false -ErrorAction Continue | Out-Null
        if (Get-HaResource -Path $script:labYaml -Name stopslow -ErrorAction SilentlyContinue) {
            Remove-HaResource -Path $script:labYaml -Name stopslow -Confirm:$false -ErrorAction Continue | Out-Null
        }
    }
    if ($script:work -and (Split-Path $script:work -Leaf) -like 'hatools-stop-*') { Remove-Item -LiteralPath $script:work -Recurse -Force }
}

Describe 'Stop() during Start-HaBootstrap from bare nodes (lab)' -Tag Lab {
    BeforeAll {
        if (-not $script:labSkip) {
            Invoke-Lab reset all | Out-Null
            $call = Start-InRunspace "Start-HaBootstrap -Path '$script:labYaml' -Confirm:`$false"
            $script:calls += $call
            # Stopped while it starts pacemaker on every node (its longest step from bare nodes, about 5 s here), once
            # that command is seen running on the nodes.
            $script:boot = Stop-WhenReady -Call $call -Seconds 120 -Pattern $script:wrapped -Until {
                param($c) (Get-BootstrapStep $c.Shell.Streams.Progress) -like 'start: pacemaker*' -and @(Get-LabProcess -Pattern $script:wrapped).Count -gt 0
            }
            $script:bootPhase = Get-BootstrapStep $script:boot.Progress
        }
    }

    It 'returns within 2 s, stopped' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        Assert-Stopped $script:boot "Start-HaBootstrap (at '$script:bootPhase')" -Because 'the bootstrap must still be waiting when it is stopped'
    }

    It 'completes every progress bar it opened' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $script:boot.Progress.Count | Should -BeGreaterThan 0
        Get-OpenBar $script:boot.Progress | ForEach-Object { "$($_.ActivityId) $($_.Activity): $($_.StatusDescription)" } | Should -BeNullOrEmpty
    }

    It 'leaves no command of the call running on any node' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $gone = Wait-Empty -Seconds 10 -Probe { Get-LabProcess -Pattern $script:wrapped }
        Write-Host ("timing: after the stopped bootstrap, no HaTools command on any node after {0} s (running at the stop: {1})" -f `
            $(if ($null -ne $gone) { '{0:N1}' -f $gone } else { 'more than 10' }), (Format-Process $script:boot.Before))
        Get-Survivor $script:boot.Before | Should -BeNullOrEmpty
        $gone | Should -Not -BeNullOrEmpty -Because "still running: $(Get-LabProcess -Pattern $script:wrapped)"
    }

    It 'releases the cluster lock on every node' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $released = Wait-Empty -Seconds 15 -Probe { Get-LockedNode }
        Write-Host ("timing: the stopped bootstrap's lock was gone from every node after {0} s" -f $(if ($null -ne $released) { '{0:N1}' -f $released } else { 'more than 15' }))
        Get-LockedNode | Should -BeNullOrEmpty
    }

    It 'leaves the daemons it had started running (a start once issued stands)' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        # Long enough for a daemon that was sent TERM with the stopped step to have shut down.
        Start-Sleep -Seconds 5
        foreach ($n in $script:nodes) {
            & bash $script:labSh exec $n -- /bin/sh -c 'pidof corosync >/dev/null && pidof pacemakerd >/dev/null' 2>$null
            $LASTEXITCODE | Should -Be 0 -Because "corosync and pacemakerd must still run on $n"
        }
    }

    It 'the next Get-HaStatus answers (a status, or a typed error while pacemaker is not up)' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $status = Get-HaStatus -Path $script:labYaml -ErrorVariable failed -ErrorAction SilentlyContinue
        Write-Host ("after the stopped bootstrap: Get-HaStatus {0}" -f $(if ($status) { "answered (quorate $($status.Quorate), DC '$($status.Dc)')" } else { "failed: $($failed[0].FullyQualifiedErrorId)" }))
        if (-not $status) { $failed[0].FullyQualifiedErrorId | Should -BeLike 'ClusterStateInvalid,*' }
    }

    It 'a rerun of the bootstrap converges: every phase Ok, the cluster formed with its resources' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $rerun = @(Start-HaBootstrap -Path $script:labYaml -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue)
        @($failed) | ForEach-Object { "$_" } | Should -BeNullOrEmpty
        $rerun | Where-Object { "$($_.Status)" -eq 'Failed' } | ForEach-Object { "$($_.Phase)/$($_.Node): $($_.Message)" } | Should -BeNullOrEmpty
        $status = Get-HaStatus -Path $script:labYaml
        $status.Quorate | Should -BeTrue
        $status.Dc | Should -Not -BeNullOrEmpty
        ($status.Resources | Where-Object Role -eq 'Started').Name | Sort-Object | Should -Be @('svc', 'vip')
    }
}

Describe 'Stop() during Suspend-HaNode -Wait (lab)' -Tag Lab {
    BeforeAll {
        if (-not $script:labSkip) {
            Initialize-LabCluster
            # A resource whose stop takes 15 s keeps the wait busy: its node cannot be emptied sooner.
            $null = New-HaResource -Path $script:labYaml -Name stopslow -Agent ocf:heartbeat:Delay -Wait -Confirm:$false `
                -Parameter @{ startdelay = 1; stopdelay = 15; mondelay = 0 } -Operation @{ name = 'stop'; interval = '0'; timeout = '60s' } -ErrorAction Stop
            # New-HaResource -Wait returns once the resource has a node, which may still be Starting.
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((Get-HaResource -Path $script:labYaml -Name stopslow).Role -ne 'Started' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 250 }
            $script:slowNode = (Get-HaResource -Path $script:labYaml -Name stopslow).Node
            $call = Start-InRunspace "Suspend-HaNode -Path '$script:labYaml' -Name $script:slowNode -Wait -TimeoutSec 120 -Confirm:`$false"
            $script:calls += $call
            $script:suspend = Stop-WhenReady -Call $call -Seconds 60 -Pattern $script:wrapped -Until {
                param($c) @($c.Shell.Streams.Progress | Where-Object { $_.ActivityId -eq 2 -and "$($_.RecordType)" -eq 'Processing' }).Count -gt 0
            }
        }
    }

    It 'returns within 2 s, stopped' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        Assert-Stopped $script:suspend "Suspend-HaNode $script:slowNode -Wait" -Because 'the command must still be waiting for the node to empty when it is stopped'
    }

    It 'completes every progress bar it opened' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        Get-OpenBar $script:suspend.Progress | ForEach-Object { "$($_.ActivityId) $($_.Activity): $($_.StatusDescription)" } | Should -BeNullOrEmpty
    }

    It 'leaves no command of the call running on any node, and the lock released' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $gone = Wait-Empty -Seconds 10 -Probe { Get-LabProcess -Pattern $script:wrapped }
        $released = Wait-Empty -Seconds 15 -Probe { Get-LockedNode }
        Write-Host ("timing: after the stopped Suspend-HaNode, no HaTools command on any node after {0} s, the lock gone after {1} s (running at the stop: {2})" -f `
            $(if ($null -ne $gone) { '{0:N1}' -f $gone } else { 'more than 10' }), $(if ($null -ne $released) { '{0:N1}' -f $released } else { 'more than 15' }),
            (Format-Process $script:suspend.Before))
        Get-Survivor $script:suspend.Before | Should -BeNullOrEmpty
        $gone | Should -Not -BeNullOrEmpty
        Get-LockedNode | Should -BeNullOrEmpty
    }

    It 'the standby it set stands, and the cluster empties the node by itself' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        (Get-HaNode -Path $script:labYaml -Name $script:slowNode).Standby | Should -BeTrue
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $moved = { $r = Get-HaResource -Path $script:labYaml -Name stopslow; $r.Role -eq 'Started' -and $r.Node -and $r.Node -ne $script:slowNode }
        while (-not (& $moved) -and $sw.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 500 }
        Write-Host ("after the stopped Suspend-HaNode: stopslow started elsewhere {0:N1} s later" -f $sw.Elapsed.TotalSeconds)
        & $moved | Should -BeTrue -Because "stopslow: $(Get-HaResource -Path $script:labYaml -Name stopslow | Select-Object Role, Node)"
        (Get-HaNode -Path $script:labYaml -Name $script:slowNode).ResourceCount | Should -Be 0
    }

    It 'a rerun with -Wait changes nothing, and Resume-HaNode brings the node back' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $again = Suspend-HaNode -Path $script:labYaml -Name $script:slowNode -Wait -Confirm:$false
        $again.Changed | Should -BeFalse
        $again.Standby | Should -BeTrue
        (Resume-HaNode -Path $script:labYaml -Name $script:slowNode -Wait -Confirm:$false).Standby | Should -BeFalse
        Remove-HaResource -Path $script:labYaml -Name stopslow -Confirm:$false | Out-Null
        (Get-HaStatus -Path $script:labYaml).Quorate | Should -BeTrue
    }
}

Describe 'Stop() during a long Invoke-HaCommand (lab)' -Tag Lab {
    BeforeAll {
        if (-not $script:labSkip) {
            # sleep adds up its arguments: the odd fraction makes this run's processes findable on the nodes by argv alone.
            $script:marker = '0.{0}' -f (Get-Random -Minimum 100000 -Maximum 999999)
            # The sleep itself ("node2: 4711 sleep 30 0.NNNNNN"), not the watcher or timeout that hold it.
            $script:sleepLine = "^node\d+: \d+ sleep 30 $([regex]::Escape($script:marker))$"
            $call = Start-InRunspace "Invoke-HaCommand -Path '$script:labYaml' -All -Command sleep -ArgumentList 30, '$script:marker'"
            $script:calls += $call
            $script:invoke = Stop-WhenReady -Call $call -Seconds 30 -Pattern $script:marker -Until {
                param($c) @(Get-LabProcess -Pattern $script:marker | Where-Object { $_ -match $script:sleepLine }).Count -eq 3
            }
        }
    }

    It 'returns within 2 s, stopped' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        Assert-Stopped $script:invoke 'Invoke-HaCommand -All sleep 30' -Because 'sleep must run on all three nodes when the call is stopped'
    }

    It 'leaves no sleep behind on any node' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        @($script:invoke.Before | Where-Object { $_ -match $script:sleepLine }).Count | Should -Be 3
        $gone = Wait-Empty -Seconds 10 -Probe { Get-LabProcess -Pattern $script:marker }
        Write-Host ("timing: after the stopped Invoke-HaCommand, no process of it on any node after {0} s" -f $(if ($null -ne $gone) { '{0:N1}' -f $gone } else { 'more than 10' }))
        Get-Survivor $script:invoke.Before | Should -BeNullOrEmpty
        Get-LabProcess -Pattern $script:marker | Should -BeNullOrEmpty
    }

    It 'the cluster answers as before' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        (Get-HaStatus -Path $script:labYaml).Quorate | Should -BeTrue
        (Invoke-HaCommand -Path $script:labYaml -All -Command true).ExitCode | Should -Be @(0, 0, 0)
    }
}
