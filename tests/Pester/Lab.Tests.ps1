#Requires -Version 7.0
# The module in real pwsh against the live lab (tests/lab/lab.sh up 3, examples/lab.yaml). Tagged 'Lab': tests/run.sh
# runs this file while it holds the lab lease and the lab is up. One bootstrap, from bare nodes, is shared by the
# whole file: it is the README's own `Start-HaBootstrap -Mkfs` line; AfterAll tears the cluster down.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $readmeLines = @(Get-ReadmeBlock -Heading 'PowerShell' | Where-Object { $_ -and $_ -notmatch '^\s*#' })
    $readmeCases = for ($i = 0; $i -lt $readmeLines.Count; $i++) { @{ Index = $i; Line = $readmeLines[$i].Trim() } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    if ($env:HATOOLS_LAB -ne '1') { throw 'Lab tests run under tests/run.sh (root, lab up, HATOOLS_LAB=1).' }
    $script:labSh = Join-Path $script:RepoRoot 'tests/lab/lab.sh'
    $script:lab = Join-Path $script:RepoRoot 'examples/lab.yaml'
    $script:nodes = 'node1', 'node2', 'node3'
    $script:work = Join-Path ([IO.Path]::GetTempPath()) ("hatools-labpester-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:work | Out-Null

    function Invoke-Lab { & bash $script:labSh @args 2>&1; if ($LASTEXITCODE -ne 0) { throw "lab.sh $args failed ($LASTEXITCODE)" } }
    # What a node holds of a cluster: checked on the node itself, not through HaTools.
    function Get-NodeState([string] $Node) {
        # Debian ships a default corosync.conf, so a bare node has one: its hash shows any change.
        $probe = 'sha256sum /etc/corosync/corosync.conf 2>/dev/null | cut -c1-16; ' +
                 'for f in /etc/corosync/authkey /var/lib/pacemaker/cib/cib.xml; do [ -e $f ] && echo "file $f"; done; ' +
                 'grep -q "cluster_name: lab" /etc/corosync/corosync.conf 2>/dev/null && echo lab-conf; ' +
                 'pidof corosync >/dev/null && echo corosync-running; blkid -p -o value -s TYPE /root/disk0.img || true'
        (& bash $script:labSh exec $Node -- /bin/sh -c $probe 2>$null) -join ' '
    }

    Invoke-Lab reset all | Out-Null
    $script:bare = @{}; foreach ($n in $script:nodes) { $script:bare[$n] = Get-NodeState $n }

    # The README block, line by line, in a session on a host that answers every prompt with Yes (as a user at a
    # console would), run from a folder that holds the README's relative paths (./out, ./examples, ./motd).
    $readmeDir = New-Item -ItemType Directory -Path (Join-Path $script:work 'readme')
    foreach ($d in 'out', 'examples') { New-Item -ItemType SymbolicLink -Path (Join-Path $readmeDir $d) -Target (Join-Path $script:RepoRoot $d) | Out-Null }
    $script:readmeSession = New-HostedSession -RecordingHost (New-RecordingHost -Answer Yes) -Location $readmeDir.FullName
    $script:readme = @()
    $script:afterWhatIf = $null
    foreach ($line in @(Get-ReadmeBlock -Heading 'PowerShell' | Where-Object { $_ -and $_ -notmatch '^\s*#' })) {
        $script:readme += Invoke-InSession -Session $script:readmeSession -Script $line
        if ($line -match '^Start-HaBootstrap .*-WhatIf') {
            $script:afterWhatIf = @{}; foreach ($n in $script:nodes) { $script:afterWhatIf[$n] = Get-NodeState $n }
        }
    }
    $script:plan = ($script:readme | Where-Object Script -Match '^Start-HaBootstrap .*-WhatIf').Output
    $script:boot = $script:readme | Where-Object Script -Match '^Start-HaBootstrap -Mkfs\s+#'

    Import-Module (Get-HaStagedManifest) -Force
    $env:HATOOLS_CLUSTER = $script:lab
}

AfterAll {
    if ($script:readmeSession) { $script:readmeSession.Runspace.Dispose() }
    Remove-HaCluster -Path $script:lab -Confirm:$false -ErrorAction Continue | Out-Null
    Invoke-Lab reset all | Out-Null
    if ($script:work -and (Split-Path $script:work -Leaf) -like 'hatools-labpester-*') { Remove-Item -LiteralPath $script:work -Recurse -Force }
}

Describe "README's PowerShell block, as written, against the lab" -Tag Lab {
    It 'runs without an error: <Line>' -ForEach $readmeCases {
        $run = $script:readme[$Index]
        $run.Script | Should -Be $Line
        $run.Thrown | Should -BeNullOrEmpty
        $run.Errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
    }
}

Describe 'Start-HaBootstrap -Mkfs from bare nodes' -Tag Lab {
    It 'started from bare nodes' {
        foreach ($n in $script:nodes) { $script:bare[$n] | Should -Not -Match 'file |lab-conf|corosync-running|ext4' -Because "$n must be bare" }
    }

    It '-WhatIf returns the plan and changes nothing on any node' {
        @($script:plan).Count | Should -BeGreaterThan 0
        $script:plan | ForEach-Object { $_.GetType().Name | Should -Be 'PlanStep' }
        foreach ($n in $script:nodes) { $script:afterWhatIf[$n] | Should -Be $script:bare[$n] -Because "-WhatIf must not touch $n" }
    }

    It '-Mkfs asks once (ShouldContinue) before formatting, naming the device' {
        $script:boot.Prompts.Count | Should -Be 1
        $script:boot.Prompts[0] | Should -Match 'node1:/root/disk0\.img'
    }

    It 'writes progress records while it runs' {
        $script:boot.Progress.Count | Should -BeGreaterThan 2
        $script:boot.Progress | ForEach-Object { $_.Activity | Should -Not -BeNullOrEmpty }
        @($script:boot.Progress | Where-Object RecordType -eq 'Completed').Count | Should -BeGreaterThan 0
    }

    It 'returns PhaseResults for exactly the planned phase and node pairs, none failed' {
        # One result per planned phase and node; 'start' reports each unit (corosync, then pacemaker) on its own and
        # 'validate' adds the no-STONITH warning, so a pair may carry more than one result.
        $results = @($script:boot.Output)
        $results | ForEach-Object { $_.GetType().Name | Should -Be 'PhaseResult' }
        $got = @($results | ForEach-Object { "$($_.Phase)/$($_.Node)" } | Sort-Object -Unique)
        $planned = @($script:plan | ForEach-Object { "$($_.Phase)/$($_.Node)" } | Sort-Object -Unique)
        $got | Should -Be $planned
        foreach ($n in $script:nodes) { $results.Node | Should -Contain $n }
        $results | Where-Object { "$($_.Status)" -eq 'Failed' } | Should -BeNullOrEmpty
        @($results | Where-Object Phase -eq 'mkfs').Node | Should -Be @('node1')
    }

    It 'left the cluster configured on every node and the disk formatted' {
        foreach ($n in $script:nodes) { Get-NodeState $n | Should -Match 'file /etc/corosync/authkey.*lab-conf corosync-running' }
        Get-NodeState node1 | Should -Match 'ext4'
    }
}

Describe '-Confirm follows ConfirmImpact' -Tag Lab {
    BeforeAll {
        $script:noHost = New-RecordingHost -Answer No
        $script:noSession = New-HostedSession -RecordingHost $script:noHost
        Invoke-InSession -Session $script:noSession -Script "Import-Module '$(Get-HaStagedManifest)'; `$env:HATOOLS_CLUSTER = '$script:lab'" | Out-Null
    }
    AfterAll { $script:noSession.Runspace.Dispose() }

    It 'with $ConfirmPreference High, Remove-HaResource (High) asks, and No keeps the resource' {
        $run = Invoke-InSession -Session $script:noSession -Script "`$ConfirmPreference = 'High'; Remove-HaResource -Name svc"
        $run.Prompts.Count | Should -Be 1
        $run.Errors | Should -BeNullOrEmpty
        (Get-HaResource -Name svc).Name | Should -Be 'svc'
    }

    It 'with $ConfirmPreference High, Stop-HaCluster (High) asks, and No keeps the cluster running' {
        $run = Invoke-InSession -Session $script:noSession -Script "`$ConfirmPreference = 'High'; Stop-HaCluster"
        $run.Prompts.Count | Should -BeGreaterThan 0
        (Get-HaStatus).Quorate | Should -BeTrue
    }

    It 'with $ConfirmPreference High, Start-HaResource (Medium) does not ask' {
        $run = Invoke-InSession -Session $script:noSession -Script "`$ConfirmPreference = 'High'; Start-HaResource -Name svc"
        $run.Prompts.Count | Should -Be 0
        $run.Errors | Should -BeNullOrEmpty
    }

    It 'with $ConfirmPreference Medium, Start-HaResource (Medium) asks' {
        $run = Invoke-InSession -Session $script:noSession -Script "`$ConfirmPreference = 'Medium'; Start-HaResource -Name svc"
        $run.Prompts.Count | Should -Be 1
    }

    It '-Confirm asks even below $ConfirmPreference, and -Confirm:$false never asks' {
        (Invoke-InSession -Session $script:noSession -Script "`$ConfirmPreference = 'High'; Start-HaResource -Name svc -Confirm").Prompts.Count | Should -Be 1
        (Invoke-InSession -Session $script:noSession -Script "`$ConfirmPreference = 'Low'; Start-HaResource -Name svc -Confirm:`$false").Prompts.Count | Should -Be 0
    }
}

Describe 'Errors: ErrorId, category, TargetObject' -Tag Lab {
    BeforeAll {
        $text = Get-Content $script:lab -Raw
        $script:labDir = Join-Path $script:RepoRoot 'examples'
        # node3 at a lab address nothing answers (198.18.0.250); paths absolute so the file can live elsewhere.
        $script:unreachable = Join-Path $script:work 'unreachable.yaml'
        ($text -replace '198\.18\.0\.13', '198.18.0.250' -replace 'connect_timeout: 5', 'connect_timeout: 2' -replace 'lab/', "$script:labDir/lab/") |
            Set-Content $script:unreachable
        # node1's pinned key replaced by another key: a host-key refusal under the strict policy.
        $otherKey = Join-Path $script:work 'otherkey'
        & ssh-keygen -q -t ed25519 -N '' -f $otherKey | Out-Null
        $known = Get-Content (Join-Path $script:labDir 'lab/known_hosts') | ForEach-Object {
            if ($_ -match '198\.18\.0\.11') { ($_ -split ' ')[0] + ' ' + (Get-Content "$otherKey.pub").Split(' ')[0..1] -join ' ' } else { $_ }
        }
        $knownFile = Join-Path $script:work 'known_hosts'
        $known | Set-Content $knownFile
        $script:badKey = Join-Path $script:work 'badkey.yaml'
        ($text -replace 'lab/known_hosts', $knownFile -replace 'lab/', "$script:labDir/lab/") | Set-Content $script:badKey
        $script:invalid = Join-Path $script:work 'invalid.yaml'
        ($text -replace 'name: node2', 'name: "node 2"' -replace 'lab/', "$script:labDir/lab/") | Set-Content $script:invalid
    }

    It 'an unreachable node: one NodeUnreachable record (ConnectionError, TargetObject node3) while the others succeed' {
        $results = Invoke-HaCommand -Path $script:unreachable -All -Command true -ErrorVariable ev -ErrorAction SilentlyContinue
        @($ev).Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'NodeUnreachable,*'
        $ev[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $ev[0].TargetObject | Should -Be 'node3'
        @($results | Where-Object { $_.ExitCode -eq 0 -and -not $_.Unreachable }).Node | Sort-Object | Should -Be @('node1', 'node2')
    }

    It '-ErrorAction Stop makes the per-node error terminating and catchable' {
        $caught = $null
        try { Invoke-HaCommand -Path $script:unreachable -All -Command true -ErrorAction Stop | Out-Null } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'NodeUnreachable,*'
        $caught.TargetObject | Should -Be 'node3'
    }

    It 'a refused host key: NodeHostKeyRefused (SecurityError, TargetObject node1)' {
        $null = Invoke-HaCommand -Path $script:badKey -Node node1 -Command true -ErrorVariable ev -ErrorAction SilentlyContinue
        @($ev).Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'NodeHostKeyRefused,*'
        $ev[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $ev[0].TargetObject | Should -Be 'node1'
    }

    It 'a missing resource: ResourceNotFound (ObjectNotFound, TargetObject the name)' {
        $null = Get-HaResource -Name nosuch -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'ResourceNotFound,*'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].TargetObject | Should -Be 'nosuch'
    }

    It 'a missing node: NodeNotFound (ObjectNotFound, TargetObject the name)' {
        $null = Get-HaNode -Name nosuch -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'NodeNotFound,*'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].TargetObject | Should -Be 'nosuch'
    }

    It 'an invalid file: ClusterFileInvalid (InvalidArgument, TargetObject the file) and no node contacted' {
        $caught = $null
        try { Get-HaStatus -Path $script:invalid -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'ClusterFileInvalid,*'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.TargetObject | Should -Be $script:invalid
        "$caught" | Should -Match ([regex]::Escape($script:invalid) + ':\d+:\d+: ')
    }
}

Describe 'Pipelines by property name' -Tag Lab {
    It 'Get-HaCluster | Get-HaStatus' {
        $status = Get-HaCluster -Path $script:lab | Get-HaStatus
        $status.Name | Should -Be 'lab'
        $status.Quorate | Should -BeTrue
        @($status.Nodes | Where-Object Online).Count | Should -Be 3
    }

    It 'Get-HaResource | Stop-HaResource, then | Start-HaResource' {
        Get-HaResource -Name svc | Stop-HaResource -Wait -Confirm:$false -ErrorAction Stop | Out-Null
        (Get-HaResource -Name svc).Role | Should -Be 'Stopped'
        Get-HaResource | Where-Object Role -eq Stopped | Start-HaResource -Wait -Confirm:$false -ErrorAction Stop | Out-Null
        (Get-HaResource -Name svc).Role | Should -Be 'Started'
    }

    It 'Get-HaNode | Suspend-HaNode, then | Resume-HaNode' {
        Get-HaNode -Name node3 | Suspend-HaNode -Wait -Confirm:$false -ErrorAction Stop | Out-Null
        (Get-HaNode -Name node3).Standby | Should -BeTrue
        Get-HaNode -Name node3 | Resume-HaNode -Wait -Confirm:$false -ErrorAction Stop | Out-Null
        (Get-HaNode -Name node3).Standby | Should -BeFalse
    }

    It 'Get-HaConstraint | Remove-HaConstraint' {
        New-HaConstraint -Type Location -Resource svc -Target node2 -Score 10 -Id loc-pester -Confirm:$false -ErrorAction Stop | Out-Null
        (Get-HaConstraint).Id | Should -Contain 'loc-pester'
        Get-HaConstraint | Where-Object Id -eq 'loc-pester' | Remove-HaConstraint -Confirm:$false -ErrorAction Stop
        (Get-HaConstraint).Id | Should -Not -Contain 'loc-pester'
    }
}

Describe 'Every output type: JSON round trip and default views' -Tag Lab {
    BeforeAll {
        $payload = Join-Path $script:work 'payload.txt'
        Set-Content -Path $payload -Value 'from Pester'
        $script:samples = @(
            Get-HaCluster -Path $script:lab
            Test-HaCluster -Path $script:lab
            Test-HaCluster -Path $script:invalid -Offline -ErrorAction SilentlyContinue
            Get-HaStatus
            Get-HaNode
            Get-HaResource
            Get-HaProperty
            Get-HaConstraint
            Invoke-HaCommand -All -Command uname -ArgumentList '-n'
            Send-HaFile -SourcePath $payload -Destination /tmp/hatools-pester.txt -Confirm:$false
            Suspend-HaNode -Name node3 -Confirm:$false
            Resume-HaNode -Name node3 -Wait -Confirm:$false
            Start-HaResource -Name svc -Confirm:$false
            Start-HaBootstrap -Path $script:lab -WhatIf
            # The other stacks' offline cmdlets (no node of theirs can be had here).
            ConvertFrom-HareCdf -Path (Join-Path $script:RepoRoot 'examples/hare-cdf.yaml')
            Get-HastStatus -FromFile (Join-Path $script:RepoRoot 'tests/fixtures/hast/hastctl-list-secondary-complete.foozone.txt') -Node f1
        ) + @($script:boot.Output)
        # The HAST role changes need two hastd nodes, which cannot be had here (no FreeBSD): their results are built
        # by hand, so that their JSON form and default views are still checked; every other type above is live.
        $role = [HaTools.Core.Stacks.RoleChangeResult]::new()
        $role.Resource = 'disk0'; $role.Node = 'f1'; $role.Action = 'primary'; $role.Role = 'Primary'; $role.Changed = $true
        $role.DevicePresent = $true; $role.Message = 'disk0 is primary on f1 (/dev/hast/disk0 present)'; $role.Duration = [timespan]::FromSeconds(1.5)
        $switch = [HaTools.Core.Stacks.SwitchoverResult]::new()
        $switch.FromNode = 'f1'; $switch.ToNode = 'f2'; $switch.Changed = $true; $switch.Succeeded = $true; $switch.PoolImportedOn.Add('f2')
        $switch.VipOn = 'f2'; $switch.State = 'pool tank on f2; f2 primary for disk0; VIP on f2'; $switch.Message = 'switched to f2'
        $script:samples += @($role, $switch)
        $script:types = @((Get-Module HaTools).ExportedCmdlets.Values.OutputType.Type | Where-Object { $_.FullName -like 'HaTools.*' } | Sort-Object FullName -Unique)
    }

    It 'has a live sample of every HaTools output type' {
        $have = @($script:samples | ForEach-Object { $_.GetType().FullName } | Sort-Object -Unique)
        foreach ($t in $script:types) { $have | Should -Contain $t.FullName }
    }

    It 'ConvertTo-Json / ConvertFrom-Json keeps every scalar property, and the default view renders at 80 and 200 columns' {
        foreach ($t in $script:types) {
            $sample = @($script:samples | Where-Object { $_.GetType() -eq $t })[0]
            $back = $sample | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue | ConvertFrom-Json
            foreach ($p in $sample.PSObject.Properties | Where-Object { $_.Value -is [string] -or $_.Value -is [ValueType] }) {
                # ConvertTo-Json writes enums as numbers and TimeSpans as objects: compare in those forms.
                $expected = switch ($p.Value) { { $_ -is [enum] } { [int] $_ } { $_ -is [timespan] } { $_.Ticks } default { $_ } }
                $actual = if ($p.Value -is [timespan]) { $back.($p.Name).Ticks } else { $back.($p.Name) }
                "$actual" | Should -Be "$expected" -Because "$($t.Name).$($p.Name) survives a JSON round trip"
            }
            foreach ($width in 80, 200) {
                $text = $sample | Out-String -Width $width
                $text.Trim() | Should -Not -BeNullOrEmpty -Because "$($t.Name)'s default view renders at $width columns"
                ($sample | Format-Table | Out-String -Width $width).Trim() | Should -Not -BeNullOrEmpty
                ($sample | Format-List | Out-String -Width $width).Trim() | Should -Not -BeNullOrEmpty
            }
        }
    }
}

Describe 'examples/smoke.Tests.ps1 against the lab cluster' -Tag Lab {
    It 'passes under this Pester version' {
        $version = (Get-Module Pester).Version.ToString()
        $counts = Join-Path $script:work "smoke-$version.json"
        $run = Invoke-ChildPwsh -Script "& '$script:RepoRoot/tests/Pester/run-pester.ps1' -PesterVersion $version -Path '$script:RepoRoot/examples/smoke.Tests.ps1' -CountsFile '$counts'" `
            -Environment @{ HATOOLS_CLUSTER = $script:lab; HATOOLS_MODULE = (Get-HaStagedManifest) }
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $c = Get-Content $counts -Raw | ConvertFrom-Json
        $c.pester | Should -Be $version
        $c.passed | Should -Be 4
        $c.failed | Should -Be 0
    }
}

Describe 'Get-HaStatus in a warm session' -Tag Lab {
    It 'answers in well under a second (median of 10)' {
        Get-HaStatus | Out-Null
        $ms = @(1..10 | ForEach-Object { (Measure-Command { Get-HaStatus | Out-Null }).TotalMilliseconds } | Sort-Object)
        $median = ($ms[4] + $ms[5]) / 2
        Write-Host ("Get-HaStatus warm, Pester {0}: median {1:N1} ms of 10 (min {2:N1}, max {3:N1})" -f (Get-Module Pester).Version, $median, $ms[0], $ms[9])
        $median | Should -BeLessThan 1000
    }
}

Describe 'Errors: no quorum (a real partition; last, the cluster is torn down after it)' -Tag Lab {
    It 'node1 alone refuses a resource change: ClusterStateInvalid (InvalidOperation, TargetObject the cluster)' {
        try {
            Invoke-Lab link-down node2 | Out-Null
            Invoke-Lab link-down node3 | Out-Null
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((Get-HaStatus -ErrorAction SilentlyContinue).Quorate -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 250 }
            (Get-HaStatus).Quorate | Should -BeFalse -Because 'node1 alone must lose quorum'
            $null = Start-HaResource -Name svc -Confirm:$false -ErrorVariable ev -ErrorAction SilentlyContinue
            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeLike 'ClusterStateInvalid,*'
            $ev[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            # The cluster lock comes first and needs a majority of the nodes: node1 alone cannot give it.
            $ev[0].TargetObject | Should -Be 'lab'
            "$($ev[0])" | Should -Match 'majority of its 3 nodes'
        }
        finally {
            Invoke-Lab link-up node2 | Out-Null
            Invoke-Lab link-up node3 | Out-Null
        }
    }
}
