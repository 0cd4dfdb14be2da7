import { spawn, type ChildProcess } from 'node:child_process';

/**
 * UDP ends for the VIP e2e test, run by the host's node inside a container's namespace (nsenter),
 * since the busybox images have no UDP tool. The server answers "<name> <sender address>".
 */
const SERVER = `const d=require('dgram').createSocket('udp4');
d.on('message',(m,r)=>d.send(process.argv[1]+' '+r.address,r.port,r.address));
d.bind(Number(process.argv[2]),()=>console.log('ready'));`;

/**
 * Sends one datagram per socket (a fresh source port each, or the given one) and prints a JSON
 * list of the answers; "refused" when an ICMP port unreachable comes back, "timeout" after 2 s.
 */
const CLIENT = `const dgram=require('dgram');const [,host,port,count,local]=process.argv;
const one=()=>new Promise((res)=>{const s=dgram.createSocket('udp4');const t0=Date.now();
const done=(v)=>{clearTimeout(timer);s.close();res(v);};const timer=setTimeout(()=>done('timeout'),2000);
s.on('error',(e)=>done(e.code==='ECONNREFUSED'?'refused '+(Date.now()-t0)+'ms':e.code));
s.on('message',(m)=>done(String(m)));
s.bind(Number(local||0),()=>{s.connect(Number(port),host,()=>s.send('hi'));});});
(async()=>{const out=[];for(let i=0;i<Number(count);i++)out.push(await one());console.log(JSON.stringify(out));})();`;

export function startUdpServer(nsPath: string, name: string, port: number): Promise<ChildProcess> {
  const child = spawn('nsenter', [`--net=${nsPath}`, process.execPath, '-e', SERVER, name, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`udp server in ${nsPath} exited (${code})`)));
  });
}

export function udpCalls(nsPath: string, host: string, port: number, count: number, localPort = 0): Promise<string[]> {
  const child = spawn('nsenter', [`--net=${nsPath}`, process.execPath, '-e', CLIENT, host, String(port), String(count), String(localPort)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`udp client exited (${code})`))));
  });
}
