import { spawn, type ChildProcess } from 'node:child_process';

/**
 * TCP and UDP ends for e2e/worker/mesh-reply.test.ts, run by the host's node inside a namespace
 * (nsenter). The server answers every request with "seen <sender address>" on both protocols.
 */
const SERVER = `const port=Number(process.argv[1]);
const d=require('dgram').createSocket('udp4');
d.on('message',(m,r)=>d.send('seen '+r.address,r.port,r.address));
require('net').createServer((s)=>{s.end('seen '+s.remoteAddress);}).listen(port,'0.0.0.0',()=>d.bind(port,'0.0.0.0',()=>console.log('ready')));`;

/** One request; prints the answer, or "timeout" after 1.5 s (the reply went elsewhere), or the error code. */
const CLIENT = `const [,proto,host,port]=process.argv;const done=(v)=>{console.log(v);process.exit(0);};
setTimeout(()=>done('timeout'),1500);
if(proto==='tcp'){const s=require('net').connect(Number(port),host);let b='';s.on('data',(d)=>b+=d);s.on('end',()=>done(b));s.on('error',(e)=>done(e.code));}
else{const s=require('dgram').createSocket('udp4');s.on('message',(m)=>done(String(m)));s.on('error',(e)=>done(e.code));s.connect(Number(port),host,()=>s.send('hi'));}`;

export function startEchoServer(nsPath: string, port: number): Promise<ChildProcess> {
  const child = spawn('nsenter', [`--net=${nsPath}`, process.execPath, '-e', SERVER, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`echo server in ${nsPath} exited (${code})`)));
  });
}

export function request(nsPath: string, proto: 'tcp' | 'udp', host: string, port: number): Promise<string> {
  const child = spawn('nsenter', [`--net=${nsPath}`, process.execPath, '-e', CLIENT, proto, host, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`${proto} client exited (${code})`))));
  });
}
